package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * No AWS credentials were found by the default credentials chain.
 */
public class DiscoveryCredentialsException extends DiscoveryException {

    public DiscoveryCredentialsException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
