package dev.multislot.protocol;

/** Key types as the protocol numbers them. */
public enum WireKeyType {
    AES_256(1),
    HMAC_SHA256(2),
    EC_P256(3),
    EC_P384(4),
    RSA_2048(5),
    RSA_3072(6);

    private final int code;

    WireKeyType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The key type for a wire byte, or null if the byte names none. */
    public static WireKeyType fromCode(int code) {
        for (WireKeyType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
