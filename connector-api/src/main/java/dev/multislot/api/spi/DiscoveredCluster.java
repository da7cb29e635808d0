package dev.multislot.api.spi;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.List;
import java.util.Objects;

/**
 * A cluster as the CloudHSM API describes it.
 *
 * @param clusterId the cluster
 * @param state the cluster's state as the API names it (such as {@code ACTIVE}, {@code INITIALIZED})
 * @param region the region it was found in
 * @param hsms all its HSMs, in every state, in the API's order
 */
public record DiscoveredCluster(ClusterId clusterId, String state, String region, List<DiscoveredHsm> hsms) {

    public DiscoveredCluster {
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
