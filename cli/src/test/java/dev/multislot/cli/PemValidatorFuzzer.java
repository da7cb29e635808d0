package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the CLI's PEM checks ({@code --hsm-ca-cert},
 * {@code --server-client-cert-file}, {@code --server-client-key-file}): whatever a file holds, the
 * check passes or fails with one bad-input error (exit 1) that names the option and quotes none of
 * the file's content; never another exception, which would reach the user as an internal error.
 *
 * <p>Seeds and every input that ever failed: {@code PemValidatorFuzzerInputs/anyFile/} in the test
 * resources (docs/reliability.md).
 */
class PemValidatorFuzzer {

    private final Path file;

    PemValidatorFuzzer() {
        try {
            Path dir = Files.createTempDirectory("multislot-cli-pem-fuzz");
            dir.toFile().deleteOnExit();
            file = dir.resolve("input.pem");
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void anyFile(byte[] content) throws IOException {
        Files.write(file, content);
        check(content, () -> PemValidator.privateKey("--server-client-key-file", file), "--server-client-key-file");
        check(content, () -> PemValidator.caCertificate("--hsm-ca-cert", file), "--hsm-ca-cert");
    }

    private static void check(byte[] content, Runnable validation, String option) {
        try {
            validation.run();
        } catch (CliException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).startsWith(option);
            for (String line : new String(content, StandardCharsets.US_ASCII).split("[\r\n]+")) {
                String body = line.strip();
                if (body.length() > 16 && !body.startsWith("-----")) {
                    assertThat(e.getMessage()).doesNotContain(body);
                }
            }
        }
    }
}
