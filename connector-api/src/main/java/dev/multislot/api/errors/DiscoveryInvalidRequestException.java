package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The CloudHSM API rejected the request as invalid (a malformed cluster id or filter).
 */
public class DiscoveryInvalidRequestException extends DiscoveryException {

    public DiscoveryInvalidRequestException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
