package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real file the PEM fuzz targets hand to the loader (it reads paths, as in use), rewritten
 * for every input, and the check that an error message never quotes the file's content.
 */
final class PemInputs {

    private final Path file;

    PemInputs(String name) {
        try {
            Path dir = Files.createTempDirectory("multislot-pem-fuzz");
            dir.toFile().deleteOnExit();
            file = dir.resolve(name);
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No line of the input longer than 16 characters (a piece of a key's base64) is in the message. */
    static void assertQuotesNoContent(String message, byte[] content) {
        for (String line : new String(content, StandardCharsets.US_ASCII).split("[\r\n]+")) {
            String body = line.strip();
            if (body.length() > 16 && !body.startsWith("-----")) {
                assertThat(message).doesNotContain(body);
            }
        }
    }
}
