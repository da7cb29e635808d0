package dev.multislot.connector;

import dev.multislot.local.TokenBackend;

/** The connector end to end on a real SoftHSM2 token: client, TLS, HSM server, PKCS#11, token. */
class SingleSlotEndToEndSoftHsm2Test extends SingleSlotEndToEndContract {

    @Override
    TokenBackend backend() {
        return SoftHsm2Backend.backend();
    }
}
