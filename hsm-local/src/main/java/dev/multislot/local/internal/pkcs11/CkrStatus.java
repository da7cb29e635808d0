package dev.multislot.local.internal.pkcs11;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Status;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Maps a module's {@code CKR_*} return values to the protocol's statuses (docs/pkcs11.md). A
 * value with no protocol meaning becomes GENERAL_ERROR whose message names the call and the
 * {@code CKR_} code, so an operator can look it up in the vendor's manual.
 */
final class CkrStatus {

    static final long CKR_KEY_HANDLE_INVALID = 0x60;
    static final long CKR_KEY_SIZE_RANGE = 0x62;
    static final long CKR_KEY_TYPE_INCONSISTENT = 0x63;
    static final long CKR_KEY_FUNCTION_NOT_PERMITTED = 0x68;
    static final long CKR_DATA_INVALID = 0x20;
    static final long CKR_DATA_LEN_RANGE = 0x21;
    static final long CKR_DEVICE_MEMORY = 0x31;
    static final long CKR_ENCRYPTED_DATA_INVALID = 0x40;
    static final long CKR_ENCRYPTED_DATA_LEN_RANGE = 0x41;
    static final long CKR_MECHANISM_INVALID = 0x70;
    static final long CKR_MECHANISM_PARAM_INVALID = 0x71;
    static final long CKR_OBJECT_HANDLE_INVALID = 0x82;
    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_INVALID = 0xA1;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_EXPIRED = 0xA3;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_SESSION_COUNT = 0xB1;
    static final long CKR_SIGNATURE_INVALID = 0xC0;
    static final long CKR_SIGNATURE_LEN_RANGE = 0xC1;
    static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
    static final long CKR_USER_PIN_NOT_INITIALIZED = 0x102;

    private CkrStatus() {
    }

    /** The protocol status for a module's return value. */
    static Status status(long ckr) {
        if (ckr == CKR_PIN_INCORRECT || ckr == CKR_PIN_INVALID || ckr == CKR_PIN_LEN_RANGE
                || ckr == CKR_PIN_EXPIRED || ckr == CKR_PIN_LOCKED || ckr == CKR_USER_PIN_NOT_INITIALIZED) {
            return Status.PIN_INCORRECT;
        } else if (ckr == CKR_OBJECT_HANDLE_INVALID || ckr == CKR_KEY_HANDLE_INVALID) {
            return Status.KEY_HANDLE_INVALID;
        } else if (ckr == CKR_MECHANISM_INVALID || ckr == CKR_MECHANISM_PARAM_INVALID) {
            return Status.MECHANISM_INVALID;
        } else if (ckr == CKR_KEY_TYPE_INCONSISTENT || ckr == CKR_KEY_FUNCTION_NOT_PERMITTED
                || ckr == CKR_KEY_SIZE_RANGE) {
            return Status.KEY_TYPE_INCONSISTENT;
        } else if (ckr == CKR_DATA_INVALID) {
            return Status.DATA_INVALID;
        } else if (ckr == CKR_DATA_LEN_RANGE) {
            return Status.DATA_LEN_RANGE;
        } else if (ckr == CKR_ENCRYPTED_DATA_INVALID || ckr == CKR_ENCRYPTED_DATA_LEN_RANGE) {
            return Status.ENCRYPTED_DATA_INVALID;
        } else if (ckr == CKR_SESSION_COUNT || ckr == CKR_DEVICE_MEMORY) {
            // The module is at a limit and did nothing: safe to retry, here later or on another HSM.
            return Status.HSM_BUSY;
        }
        return Status.GENERAL_ERROR;
    }

    /** The exception to answer a failed call with. */
    static TokenException fail(String call, PKCS11Exception e) {
        long ckr = e.getErrorCode();
        Status status = status(ckr);
        String name = name(e);
        String what = switch (status) {
            case PIN_INCORRECT -> "the token refused the user PIN";
            case KEY_HANDLE_INVALID -> "the key is not on the token";
            case MECHANISM_INVALID -> "the token does not support this mechanism";
            case HSM_BUSY -> "the token is at its session or memory limit";
            case GENERAL_ERROR -> "internal error in the PKCS#11 module";
            default -> "the token refused the request";
        };
        return new TokenException(status, what + ": " + call + " returned " + name);
    }

    /** {@code CKR_NAME (0x...)}, or just the hex value for a vendor's own code. */
    static String name(PKCS11Exception e) {
        String hex = String.format("0x%08X", e.getErrorCode());
        String m = e.getMessage();
        return m != null && m.startsWith("CKR_") ? m + " (" + hex + ")" : "CKR " + hex;
    }
}
