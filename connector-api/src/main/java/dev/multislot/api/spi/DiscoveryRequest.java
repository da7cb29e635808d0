package dev.multislot.api.spi;

import dev.multislot.api.ClusterId;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What to discover: a cluster, and optionally the region and API endpoint to ask.
 *
 * @param clusterId the cluster
 * @param region the region; empty means the discovery's own region chain decides
 * @param endpoint the CloudHSM API endpoint; empty means the region's public endpoint
 */
public record DiscoveryRequest(ClusterId clusterId, Optional<String> region, Optional<URI> endpoint) {

    public DiscoveryRequest {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    public static DiscoveryRequest of(ClusterId clusterId) {
        return new DiscoveryRequest(clusterId, Optional.empty(), Optional.empty());
    }
}
