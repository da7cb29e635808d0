package dev.multislot.local.internal.pkcs11;

/**
 * Whether this JVM lets hsm-local use the JDK's PKCS#11 wrapper. Java 17 hides
 * {@code sun.security.pkcs11.wrapper} unless the JVM is started with {@link #JVM_OPTION}; without it
 * the first call would fail with an {@code IllegalAccessError}, so the PKCS#11 backends check first
 * and say which option is missing.
 */
public final class Pkcs11Access {

    /** The JVM option the PKCS#11 backends need. */
    public static final String JVM_OPTION = dev.multislot.local.TokenBackend.PKCS11_JVM_OPTION;

    private Pkcs11Access() {
    }

    /** @throws IllegalStateException naming the missing JVM option */
    public static void require() {
        Module cryptoki = ModuleLayer.boot().findModule("jdk.crypto.cryptoki").orElseThrow(
                () -> new IllegalStateException("this Java runtime has no jdk.crypto.cryptoki module (PKCS#11)"));
        if (!cryptoki.isExported("sun.security.pkcs11.wrapper", Pkcs11Access.class.getModule())) {
            throw new IllegalStateException("the PKCS#11 backend needs the JVM option " + JVM_OPTION);
        }
    }
}
