package dev.multislot.discovery.internal;

import dev.multislot.api.errors.ClusterNotFoundException;
import dev.multislot.api.errors.DiscoveryAccessDeniedException;
import dev.multislot.api.errors.DiscoveryCredentialsException;
import dev.multislot.api.errors.DiscoveryEndpointException;
import dev.multislot.api.errors.DiscoveryInvalidRequestException;
import dev.multislot.api.errors.DiscoveryThrottledException;

/**
 * Where each {@code DescribeClusters} call is reported, for the {@code multislot.discovery}
 * timer. {@link #NOOP} without a registry, so that no Micrometer class is needed then.
 */
public interface DiscoveryRecorder {

    /** Records nothing. */
    DiscoveryRecorder NOOP = (region, nanos, error) -> { };

    /** One call ended after {@code nanos}: {@code error} null for an answer, else the typed error it became. */
    void describeClusters(String region, long nanos, Throwable error);

    /** The {@code outcome} tag: {@code success} or the kind of the typed error. */
    static String outcome(Throwable error) {
        if (error == null) {
            return "success";
        }
        if (error instanceof DiscoveryThrottledException) {
            return "throttled";
        }
        if (error instanceof DiscoveryAccessDeniedException) {
            return "access_denied";
        }
        if (error instanceof DiscoveryCredentialsException) {
            return "credentials";
        }
        if (error instanceof DiscoveryEndpointException) {
            return "endpoint";
        }
        if (error instanceof DiscoveryInvalidRequestException) {
            return "invalid_request";
        }
        if (error instanceof ClusterNotFoundException) {
            return "not_found";
        }
        return "other";
    }
}
