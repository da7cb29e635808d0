package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The CloudHSM API kept throttling the request until the AWS SDK's retries ran out.
 */
public class DiscoveryThrottledException extends DiscoveryException {

    public DiscoveryThrottledException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
