package dev.multislot.discovery.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudhsmv2.endpoints.CloudHsmV2EndpointParams;
import software.amazon.awssdk.services.cloudhsmv2.endpoints.CloudHsmV2EndpointProvider;

/** Endpoint checks and names. */
public final class Endpoints {

    private static final CloudHsmV2EndpointProvider PROVIDER = CloudHsmV2EndpointProvider.defaultProvider();

    private Endpoints() {
    }

    /**
     * Checks an endpoint override.
     *
     * @throws IllegalArgumentException unless it is an absolute http or https URL with a host
     */
    public static void check(Optional<URI> endpoint) {
        if (endpoint.isEmpty()) {
            return;
        }
        URI uri = endpoint.get();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + uri + "' is not an http or https URL with a host "
                    + "(expected for example https://cloudhsmv2.us-east-1.amazonaws.com or http://127.0.0.1:8080)");
        }
    }

    /** The region's public CloudHSM v2 endpoint as the SDK resolves it, or a description if it cannot. */
    static String publicEndpoint(String region) {
        try {
            // The rules engine is pure computation; its future is already complete.
            return PROVIDER.resolveEndpoint(CloudHsmV2EndpointParams.builder().region(Region.of(region)).build())
                    .getNow(null).url().toString();
        } catch (RuntimeException e) {
            return "the CloudHSM endpoint of region " + region;
        }
    }
}
