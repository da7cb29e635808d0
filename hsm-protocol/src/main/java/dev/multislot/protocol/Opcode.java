package dev.multislot.protocol;

/** What a frame asks for. Responses carry the opcode of their request. */
public enum Opcode {
    HELLO(0x01),
    PING(0x02),
    LOGIN(0x10),
    LOGOUT(0x11),
    GENERATE_KEY(0x20),
    FIND_KEYS(0x21),
    GET_KEY(0x22),
    GET_PUBLIC_KEY(0x23),
    DELETE_KEY(0x24),
    SIGN(0x30),
    VERIFY(0x31),
    ENCRYPT(0x32),
    DECRYPT(0x33),
    RANDOM(0x40);

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The opcode's byte on the wire. */
    public int code() {
        return code;
    }

    /** The opcode for a wire byte, or null if the byte names none. */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    /**
     * Whether the operation changes the HSM's key store or login state, so that repeating it is
     * not safe once it may have reached the HSM.
     */
    public boolean changesState() {
        return this == GENERATE_KEY || this == DELETE_KEY || this == LOGIN || this == LOGOUT;
    }
}
