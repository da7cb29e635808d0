package dev.multislot.protocol;

/** Sign, verify and cipher mechanisms as the protocol numbers them. */
public enum Mechanism {
    ECDSA_SHA256(1),
    ECDSA_SHA384(2),
    RSA_PSS_SHA256(3),
    RSA_PKCS1_SHA256(4),
    HMAC_SHA256(5),
    AES_GCM(16);

    private final int code;

    Mechanism(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mechanism for a wire byte, or null if the byte names none. */
    public static Mechanism fromCode(int code) {
        for (Mechanism m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        return null;
    }
}
