package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The HSM refused the request for a reason without a more specific exception; the message carries the HSM's status and text.
 */
public class HsmOperationException extends HsmConnectorException {

    public HsmOperationException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public HsmOperationException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
