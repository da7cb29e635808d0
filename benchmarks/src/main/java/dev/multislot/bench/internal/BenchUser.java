package dev.multislot.bench.internal;

import dev.multislot.local.LocalClusterSpec;

/** The crypto user every benchmark client logs in as: hsm-local's default user, nothing secret. */
public final class BenchUser {

    public static final String USER = LocalClusterSpec.DEFAULT_USERNAME;
    private static final String PASSWORD = LocalClusterSpec.DEFAULT_PASSWORD;

    private BenchUser() {
    }

    /** A fresh copy of the password; the caller may overwrite it. */
    public static char[] password() {
        return PASSWORD.toCharArray();
    }

    /** The password as the wire's LOGIN carries it (UTF-8), a fresh copy. */
    public static byte[] passwordBytes() {
        return PASSWORD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
