package dev.multislot.connector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.HsmState;
import dev.multislot.api.spi.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which addresses a topology refresh dials: the family the cluster is configured with. */
class TopologyAddressesTest {

    private static final DiscoveredCluster DUAL_STACK = new DiscoveredCluster(ClusterId.of("cluster-dualstackaaa"), "ACTIVE",
            "us-east-1", List.of(
            new DiscoveredHsm("hsm-aaaaaaaaaaa", "10.0.1.1", "us-east-1a", HsmState.ACTIVE, Optional.of("fd00:1::1")),
            new DiscoveredHsm("hsm-bbbbbbbbbbb", "10.0.2.2", "us-east-1b", HsmState.ACTIVE, Optional.of("fd00:2::2")),
            new DiscoveredHsm("hsm-ccccccccccc", "10.0.3.3", "us-east-1c", HsmState.DELETED, Optional.of("fd00:3::3"))),
            Optional.of("DUALSTACK"));

    private static ClusterConfig config(String... hosts) {
        return new ClusterConfig(ClusterId.of("cluster-dualstackaaa"), Optional.of("us-east-1"), Path.of("/ca.crt"),
                java.util.Arrays.stream(hosts).map(h -> new ServerConfig(h, 2223, true)).toList(), Optional.empty(), Optional.empty());
    }

    @Test
    void aClusterConfiguredByIpv6AddressesIsRefreshedToIpv6Addresses() {
        assertThat(TopologyRefresher.addresses(DUAL_STACK, config("[fd00:1::1]")))
                .containsExactly(new HsmAddress("fd00:1::1", 2223), new HsmAddress("fd00:2::2", 2223));
    }

    @Test
    void aClusterConfiguredByIpv4AddressesStaysOnIpv4() {
        assertThat(TopologyRefresher.addresses(DUAL_STACK, config("10.0.1.1")))
                .containsExactly(new HsmAddress("10.0.1.1", 2223), new HsmAddress("10.0.2.2", 2223));
    }
}
