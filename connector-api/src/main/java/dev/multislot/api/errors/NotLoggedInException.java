package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The operation needs a logged-in user and the slot has none (for example after {@link dev.multislot.api.SlotSession#logout()}).
 */
public class NotLoggedInException extends HsmConnectorException {

    public NotLoggedInException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public NotLoggedInException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
