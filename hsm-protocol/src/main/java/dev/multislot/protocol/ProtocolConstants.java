package dev.multislot.protocol;

/** Numbers both ends agree on. */
public final class ProtocolConstants {

    /** The protocol version this implementation speaks. */
    public static final int VERSION = 1;

    /** The default and largest maximum frame size, length prefix excluded: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    /** The smallest maximum frame size an end may announce. */
    public static final int MIN_MAX_FRAME_SIZE = 4096;

    /** Bytes of the header after the length prefix: kind, opcode, status, request id. */
    public static final int HEADER_SIZE = 8;

    /** The most bytes one RANDOM request may ask for. */
    public static final int MAX_RANDOM_LENGTH = 65536;

    /** The longest key label, in UTF-8 bytes. */
    public static final int MAX_LABEL_BYTES = 127;

    private ProtocolConstants() {
    }
}
