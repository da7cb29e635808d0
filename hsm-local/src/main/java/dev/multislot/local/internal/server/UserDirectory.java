package dev.multislot.local.internal.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The crypto users of a cluster. Only SHA-256 digests of the passwords are kept, compared in
 * constant time; an unknown user costs the same comparison as a known one, so timing does not
 * tell which user names exist.
 */
public final class UserDirectory {

    private static final byte[] NO_SUCH_USER = new byte[32];

    private final Map<String, byte[]> digests;

    private UserDirectory(Map<String, byte[]> digests) {
        this.digests = digests;
    }

    /** A directory from user names and password digests (see {@link #digest(byte[])}). */
    public static UserDirectory of(Map<String, byte[]> digests) {
        Map<String, byte[]> copy = new TreeMap<>();
        digests.forEach((user, digest) -> copy.put(Objects.requireNonNull(user, "user"), digest.clone()));
        return new UserDirectory(copy);
    }

    /** The digest kept for a password. */
    public static byte[] digest(byte[] password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The digest kept for a password given as text (UTF-8). */
    public static byte[] digest(String password) {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        try {
            return digest(utf8);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** Whether this user exists and the password is theirs. */
    public boolean check(String user, byte[] password) {
        byte[] expected = digests.getOrDefault(user, NO_SUCH_USER);
        boolean match = MessageDigest.isEqual(expected, digest(password));
        return match && expected != NO_SUCH_USER;
    }

    /** The user names, sorted. */
    public Set<String> users() {
        return digests.keySet();
    }

    @Override
    public String toString() {
        return "UserDirectory" + digests.keySet();
    }
}
