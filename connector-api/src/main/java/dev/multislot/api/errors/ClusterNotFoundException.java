package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The CloudHSM API does not know the cluster in the region asked (often: the wrong region).
 */
public class ClusterNotFoundException extends DiscoveryException {

    public ClusterNotFoundException(String message, ClusterId clusterId, Throwable cause) {
        super(message, clusterId, cause);
    }
}
