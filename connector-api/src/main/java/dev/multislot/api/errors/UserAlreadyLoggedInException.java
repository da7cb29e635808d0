package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * Another user is logged in to the slot; as in PKCS#11, one user at a time per slot.
 */
public class UserAlreadyLoggedInException extends HsmConnectorException {

    public UserAlreadyLoggedInException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public UserAlreadyLoggedInException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
