package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * A request that changes the key store (generate, delete) may or may not have been carried out: it reached an HSM and then the connection was lost or the request timed out. It is not retried, since doing it twice is not safe; check the key store before trying again.
 */
public class HsmOutcomeUnknownException extends HsmConnectorException {

    public HsmOutcomeUnknownException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public HsmOutcomeUnknownException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
