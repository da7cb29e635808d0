package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.connector.RetryMode;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example of docs/hsm-local.md, "Testing with MultislotExtension", word for word: if it stops compiling, so does this. */
class DocsExampleTest {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder()
            .hsms(2)
            .options(options -> options.retryMode(RetryMode.STANDARD).requestTimeout(Duration.ofSeconds(10)))
            .build();

    @Test
    void signsWhileAnHsmIsDown(SlotSession session, LocalCluster cluster) {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "docs").block(Duration.ofSeconds(10));
        cluster.hsm(0).stop();                       // a crash; the other HSM answers
        try {
            byte[] mac = session.sign(key, SignatureAlgorithm.HMAC_SHA256, "hello".getBytes())
                    .block(Duration.ofSeconds(10));
            assertThat(mac).hasSize(32);
        } finally {
            cluster.hsm(0).start();                  // the next test gets the cluster back whole
        }
    }
}
