package dev.multislot.testkit;

import dev.multislot.local.SoftHsm2Home;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connector end to end on a real SoftHSM2 token: client, TLS, HSM server, PKCS#11, token. */
class SingleSlotEndToEndSoftHsm2Test extends SingleSlotEndToEndContract {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder()
            .hsms(2)
            .cluster(spec -> spec.token(SoftHsm2Home.backend()))
            .build();
}
