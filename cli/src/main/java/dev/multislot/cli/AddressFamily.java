package dev.multislot.cli;

import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.ServerConfig;
import java.util.List;
import java.util.Optional;

/** Which of an HSM's addresses {@code add-cluster} writes: {@code --address-family ipv4|ipv6}. */
enum AddressFamily {
    IPV4,
    IPV6;

    static AddressFamily parse(String value) {
        if (value == null || value.equals("ipv4")) {
            return IPV4;
        }
        if (value.equals("ipv6")) {
            return IPV6;
        }
        throw CliException.badInput("--address-family " + OptionChecks.shown(value) + ": expected ipv4 or ipv6");
    }

    /**
     * The usable HSMs as servers, each on the port the answer gave for it or else on {@code port},
     * each recording its HSM id and zone.
     */
    List<ServerConfig> servers(DiscoveredCluster cluster, List<DiscoveredHsm> usable, int port) {
        if (this == IPV6) {
            List<DiscoveredHsm> without = usable.stream().filter(h -> h.eniIpV6().isEmpty()).toList();
            if (!without.isEmpty()) {
                throw new CliException(ExitCode.BAD_INPUT, "--address-family ipv6: " + cluster.clusterId() + " has network type "
                        + cluster.networkType().orElse("IPV4") + " and " + without.stream().map(DiscoveredHsm::hsmId).toList()
                        + " report no EniIpV6; nothing was written. Use --address-family ipv4, or make the cluster DUALSTACK");
            }
        }
        return usable.stream().map(h -> new ServerConfig(this == IPV6 ? h.eniIpV6().orElseThrow() : h.eniIp(), h.port().orElse(port), true,
                Optional.of(h.hsmId()), Optional.ofNullable(h.availabilityZone()))).toList();
    }
}
