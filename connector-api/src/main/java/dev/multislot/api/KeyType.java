package dev.multislot.api;

/**
 * The kinds of key an HSM can generate and hold.
 *
 * <p>Symmetric keys ({@link #AES_256}, {@link #HMAC_SHA256}) never leave the HSM. Key pairs keep
 * their private half in the HSM; the public half is available through
 * {@link SlotSession#publicKey(KeyRef)}.
 */
public enum KeyType {
    /** A 256-bit AES key, for AES-GCM. */
    AES_256(false),
    /** A 256-bit HMAC key, for HMAC-SHA256 signatures. */
    HMAC_SHA256(false),
    /** An EC key pair on NIST P-256 (secp256r1). */
    EC_P256(true),
    /** An EC key pair on NIST P-384 (secp384r1). */
    EC_P384(true),
    /** A 2048-bit RSA key pair. */
    RSA_2048(true),
    /** A 3072-bit RSA key pair. */
    RSA_3072(true);

    private final boolean keyPair;

    KeyType(boolean keyPair) {
        this.keyPair = keyPair;
    }

    /** Whether this type is an asymmetric key pair with a public half. */
    public boolean isKeyPair() {
        return keyPair;
    }
}
