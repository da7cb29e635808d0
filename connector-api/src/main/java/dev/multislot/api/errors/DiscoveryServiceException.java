package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The CloudHSM API failed in a way with no more specific error (a 5xx answer, an unexpected response).
 */
public class DiscoveryServiceException extends DiscoveryException {

    public DiscoveryServiceException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
