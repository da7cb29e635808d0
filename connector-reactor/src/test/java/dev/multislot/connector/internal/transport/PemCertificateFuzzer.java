package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.multislot.connector.internal.transport.TlsMaterialLoader.TlsSetupException;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the certificate loader (the CA file and the client
 * certificate): whatever the file holds, loading gives at least one certificate or one
 * {@link TlsSetupException} naming the file.
 *
 * <p>Seeds and every input that ever failed: {@code PemCertificateFuzzerInputs/anyFile/} in the
 * test resources (docs/reliability.md).
 */
class PemCertificateFuzzer {

    private final PemInputs inputs = new PemInputs("ca.crt");

    @FuzzTest(maxDuration = "5s")
    void anyFile(byte[] content) {
        Path file = inputs.write(content);
        try {
            assertThat(TlsMaterialLoader.readCertificates(file, "hsm_ca_file")).isNotEmpty();
        } catch (TlsSetupException e) {
            assertThat(e.getMessage()).contains(file.toString());
        }
    }
}
