package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * An HSM did not answer within the request timeout (which covers queueing and retries).
 */
public class HsmTimeoutException extends HsmConnectorException {

    public HsmTimeoutException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public HsmTimeoutException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
