package dev.multislot.spring.internal;

import dev.multislot.api.Credentials;
import dev.multislot.spring.MultislotProperties;
import dev.multislot.spring.MultislotPropertyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The crypto user from {@code multislot.user.*}. Messages name the properties and the file, never
 * the password; the bytes read from a password file are wiped once converted.
 */
public final class CredentialsLoader {

    private CredentialsLoader() {
    }

    /** The configured user, or empty when {@code multislot.user.name} is not set. */
    public static Optional<Credentials> load(MultislotProperties.User user) {
        String name = user.getName();
        boolean hasPassword = user.getPassword() != null;
        boolean hasFile = user.getPasswordFile() != null;
        if (name == null || name.isBlank()) {
            if (hasPassword || hasFile) {
                throw new MultislotPropertyException("multislot.user.name",
                        "a password is configured but no user name: set multislot.user.name");
            }
            return Optional.empty();
        }
        if (hasPassword == hasFile) {
            throw new MultislotPropertyException("multislot.user.password",
                    hasPassword ? "set either multislot.user.password or multislot.user.password-file, not both"
                            : "user '" + name + "' has no password: set multislot.user.password (or the environment "
                                    + "variable MULTISLOT_USER_PASSWORD) or multislot.user.password-file");
        }
        char[] password = hasPassword ? user.getPassword().toCharArray() : readPasswordFile(user.getPasswordFile());
        try {
            return Optional.of(Credentials.of(name, password));
        } catch (IllegalArgumentException e) {
            throw new MultislotPropertyException("multislot.user.name", e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] readPasswordFile(Path file) {
        String property = "multislot.user.password-file";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new MultislotPropertyException(property, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new MultislotPropertyException(property, file + ": permission denied");
        } catch (IOException e) {
            throw new MultislotPropertyException(property, file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            int end = chars.limit();
            while (end > 0 && (chars.get(end - 1) == '\n' || chars.get(end - 1) == '\r')) {
                end--;
            }
            char[] password = new char[end];
            chars.get(password, 0, end);
            Arrays.fill(chars.array(), '\0');
            if (password.length == 0) {
                throw new MultislotPropertyException(property, file + " is empty");
            }
            return password;
        } catch (CharacterCodingException e) {
            throw new MultislotPropertyException(property, file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
