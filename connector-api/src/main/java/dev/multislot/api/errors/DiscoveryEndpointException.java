package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The CloudHSM API endpoint could not be reached or did not answer in time.
 */
public class DiscoveryEndpointException extends DiscoveryException {

    public DiscoveryEndpointException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
