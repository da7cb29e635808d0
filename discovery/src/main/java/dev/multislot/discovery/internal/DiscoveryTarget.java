package dev.multislot.discovery.internal;

import dev.multislot.discovery.ResolvedRegion;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one lookup goes: a region (and where it came from) and an optional endpoint override.
 *
 * @param region the region
 * @param endpoint the endpoint override, if any
 */
public record DiscoveryTarget(ResolvedRegion region, Optional<URI> endpoint) {

    public DiscoveryTarget {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** What identifies the SDK client to use: requests with equal keys share one client. */
    public ClientKey clientKey() {
        return new ClientKey(region.region(), endpoint);
    }

    /** The endpoint in words: the override, else the region's public CloudHSM endpoint. */
    public String endpointDescription() {
        return endpoint.map(URI::toString).orElseGet(() -> Endpoints.publicEndpoint(region.region()));
    }

    /** One SDK client per region and endpoint. */
    public record ClientKey(String region, Optional<URI> endpoint) {
    }
}
