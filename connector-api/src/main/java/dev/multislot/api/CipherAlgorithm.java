package dev.multislot.api;

/**
 * Encryption mechanisms.
 */
public enum CipherAlgorithm {
    /**
     * AES in Galois/Counter Mode with a 96-bit IV and a 128-bit tag, appended to the ciphertext.
     * The HSM chooses a fresh random IV for every encryption and returns it in
     * {@link AeadCiphertext#iv()}.
     */
    AES_GCM
}
