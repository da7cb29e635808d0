package dev.multislot.api.spi;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster as the CloudHSM API describes it.
 *
 * @param clusterId the cluster
 * @param state the cluster's state as the API names it (such as {@code ACTIVE}, {@code INITIALIZED})
 * @param region the region it was found in
 * @param hsms all its HSMs, in every state, in the API's order
 * @param networkType the API's {@code NetworkType} ({@code IPV4} or {@code DUALSTACK}), if it sent one
 */
public record DiscoveredCluster(ClusterId clusterId, String state, String region, List<DiscoveredHsm> hsms,
                                Optional<String> networkType) {

    /** A cluster without a network type (an IPv4 cluster). */
    public DiscoveredCluster(ClusterId clusterId, String state, String region, List<DiscoveredHsm> hsms) {
        this(clusterId, state, region, hsms, Optional.empty());
    }

    public DiscoveredCluster {
        Objects.requireNonNull(networkType, "networkType");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(region, "region");
        hsms = List.copyOf(hsms);
    }

    /** The HSMs a connector may use ({@link DiscoveredHsm#isUsable()}). */
    public List<DiscoveredHsm> usableHsms() {
        return hsms.stream().filter(DiscoveredHsm::isUsable).toList();
    }

    /**
     * The addresses of the usable HSMs, in the API's order, each on the port the answer gave for it
     * ({@link DiscoveredHsm#port()}) or else on {@code port}.
     */
    public List<HsmAddress> usableAddresses(int port) {
        return usableHsms().stream().map(h -> new HsmAddress(h.eniIp(), h.port().orElse(port))).toList();
    }
}
