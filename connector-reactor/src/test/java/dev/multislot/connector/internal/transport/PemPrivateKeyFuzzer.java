package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.multislot.connector.internal.transport.TlsMaterialLoader.TlsSetupException;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the client key loader: whatever the key file holds, loading
 * gives a private key or one {@link TlsSetupException}, whose message names the file and never
 * quotes the file's content (it may be a key).
 *
 * <p>Seeds (a PKCS#8, a PKCS#1 RSA and a SEC1 EC key, made for this test) and every input that
 * ever failed: {@code PemPrivateKeyFuzzerInputs/anyFile/} in the test resources (docs/reliability.md).
 */
class PemPrivateKeyFuzzer {

    private final PemInputs inputs = new PemInputs("client.key");

    @FuzzTest(maxDuration = "5s")
    void anyFile(byte[] content) {
        Path file = inputs.write(content);
        try {
            assertThat(TlsMaterialLoader.readPrivateKey(file)).isNotNull();
        } catch (TlsSetupException e) {
            assertThat(e.getMessage()).contains(file.toString());
            PemInputs.assertQuotesNoContent(e.getMessage(), content);
        }
    }
}
