package dev.multislot.connector.internal.slot;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmOperationException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.errors.MechanismInvalidException;
import dev.multislot.api.errors.NotLoggedInException;
import dev.multislot.api.errors.UserAlreadyLoggedInException;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;

/** Turns an HSM's error status into the public exception of the same meaning. */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    /** The exception for an answer whose status is not OK. */
    public static HsmConnectorException toException(ResponseFrame frame, ClusterId cluster, HsmAddress hsm) {
        Status status = frame.status();
        String hsmText = frame.response() instanceof Response.Error e && !e.message().isEmpty() ? ": " + e.message() : "";
        String message = frame.opcode() + " failed with " + status + hsmText;
        return switch (status) {
            case PIN_INCORRECT -> new AuthenticationFailedException(message, cluster, hsm);
            case USER_NOT_LOGGED_IN -> new NotLoggedInException(message, cluster, hsm);
            case USER_ALREADY_LOGGED_IN, USER_ANOTHER_ALREADY_LOGGED_IN -> new UserAlreadyLoggedInException(message, cluster, hsm);
            case KEY_HANDLE_INVALID -> new KeyNotFoundException(message, cluster, hsm);
            case MECHANISM_INVALID, KEY_TYPE_INCONSISTENT -> new MechanismInvalidException(message, cluster, hsm);
            case DATA_INVALID, DATA_LEN_RANGE, ENCRYPTED_DATA_INVALID -> new DataInvalidException(message, cluster, hsm);
            case HSM_BUSY -> new HsmThrottledException(message, cluster, hsm);
            case PROTOCOL_ERROR, VERSION_UNSUPPORTED -> new HsmProtocolException(message, cluster, hsm);
            default -> new HsmOperationException(message, cluster, hsm);
        };
    }
}
