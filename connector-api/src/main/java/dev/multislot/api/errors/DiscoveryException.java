package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * Finding a cluster's HSMs through the CloudHSM API failed. Subclasses say why; every message
 * says what to do next (which region and endpoint were used and where they came from).
 */
public abstract class DiscoveryException extends HsmConnectorException {

    protected DiscoveryException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, null, cause);
    }
}
