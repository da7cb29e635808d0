package dev.multislot.api;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The result of an authenticated encryption: the IV the HSM chose and the ciphertext with its
 * authentication tag appended. Both arrays are copied in and out, so an instance never changes.
 */
public final class AeadCiphertext {

    private final byte[] iv;
    private final byte[] ciphertext;

    public AeadCiphertext(byte[] iv, byte[] ciphertext) {
        this.iv = Objects.requireNonNull(iv, "iv").clone();
        this.ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    }

    /** A copy of the IV (12 bytes for AES-GCM). */
    public byte[] iv() {
        return iv.clone();
    }

    /** A copy of the ciphertext followed by the authentication tag. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AeadCiphertext other
                && Arrays.equals(iv, other.iv)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(iv) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "AeadCiphertext[iv=" + HexFormat.of().formatHex(iv) + ", " + ciphertext.length + " bytes]";
    }
}
