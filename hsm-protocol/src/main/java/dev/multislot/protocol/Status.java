package dev.multislot.protocol;

/**
 * The outcome of a request, carried in every response frame. Values below 0x8000 are the
 * PKCS#11 {@code CKR_*} codes of the same meaning; 0x8000 and above are this protocol's own.
 */
public enum Status {
    OK(0x0000),
    /** CKR_ARGUMENTS_BAD: a field is out of range (a random length of 0, an unknown key type). */
    ARGUMENTS_BAD(0x0007),
    /** CKR_GENERAL_ERROR: the HSM failed internally. */
    GENERAL_ERROR(0x0005),
    /** CKR_DATA_INVALID: the input cannot be processed (a malformed signature, bad IV length). */
    DATA_INVALID(0x0020),
    /** CKR_DATA_LEN_RANGE: the input is too long. */
    DATA_LEN_RANGE(0x0021),
    /** CKR_ENCRYPTED_DATA_INVALID: a ciphertext failed authentication. */
    ENCRYPTED_DATA_INVALID(0x0040),
    /** CKR_KEY_HANDLE_INVALID: no key with that handle. */
    KEY_HANDLE_INVALID(0x0060),
    /** CKR_KEY_TYPE_INCONSISTENT: the key's type does not suit the mechanism. */
    KEY_TYPE_INCONSISTENT(0x0063),
    /** CKR_MECHANISM_INVALID: the mechanism is unknown or not supported. */
    MECHANISM_INVALID(0x0070),
    /** CKR_PIN_INCORRECT: wrong user name or password. */
    PIN_INCORRECT(0x00A0),
    /** CKR_USER_ALREADY_LOGGED_IN. */
    USER_ALREADY_LOGGED_IN(0x0100),
    /** CKR_USER_NOT_LOGGED_IN: the operation needs a login. */
    USER_NOT_LOGGED_IN(0x0101),
    /** CKR_USER_ANOTHER_ALREADY_LOGGED_IN: another user holds this connection's login. */
    USER_ANOTHER_ALREADY_LOGGED_IN(0x0104),
    /** The HSM is at its limit of concurrent operations; try again later (safe to retry). */
    HSM_BUSY(0x8001),
    /** The request broke the protocol (request before HELLO, for example); the HSM closes the connection. */
    PROTOCOL_ERROR(0x8002),
    /** The HSM does not speak the protocol version the client offered. */
    VERSION_UNSUPPORTED(0x8003);

    /** values() copies the array on every call; every decoded answer looks its status up. */
    private static final Status[] ALL = values();

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The status's 16-bit code on the wire. */
    public int code() {
        return code;
    }

    /** The status for a wire code, or null if the code names none. */
    public static Status fromCode(int code) {
        for (Status s : ALL) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
