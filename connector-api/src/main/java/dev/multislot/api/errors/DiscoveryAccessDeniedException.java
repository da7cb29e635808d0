package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The AWS credentials in use may not call {@code DescribeClusters}.
 */
public class DiscoveryAccessDeniedException extends DiscoveryException {

    public DiscoveryAccessDeniedException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
