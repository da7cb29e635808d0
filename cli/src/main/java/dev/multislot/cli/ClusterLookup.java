package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.api.spi.ServerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code DescribeClusters} for one cluster, as {@code add-cluster} and {@code configure-pkcs11
 * --cluster-id} use it: the usable HSMs become servers on port 2223 that record each HSM's id and
 * availability zone.
 */
final class ClusterLookup {

    /**
     * How long to wait for discovery, beyond its own lookup deadline ({@link AwsDiscoveryFactory#LOOKUP_TIMEOUT}),
     * which ends every lookup with a typed error naming the endpoint; this one only guards against a
     * discovery that has no deadline of its own.
     */
    private static final Duration DISCOVERY_DEADLINE = AwsDiscoveryFactory.LOOKUP_TIMEOUT.plusSeconds(15);

    /** What was found: the cluster as described, and the servers to write. */
    record Found(DiscoveredCluster cluster, List<ServerConfig> servers, Optional<URI> endpoint) {

        /** " (N HSM(s) skipped: hsm-x is STATE, ...)" or "". */
        String skipped() {
            int n = cluster.hsms().size() - servers.size();
            return n > 0 ? " (" + n + " HSM(s) skipped:" + unusable(cluster) + ")" : "";
        }
    }

    private ClusterLookup() {
    }

    static Found find(Function<Map<String, String>, ClusterDiscovery> factory, Map<String, String> env, ClusterId id,
                      Optional<String> region, Optional<URI> endpoint, AddressFamily family) {
        DiscoveredCluster cluster;
        try (ClusterDiscovery discovery = factory.apply(env)) {
            cluster = discovery.discover(new DiscoveryRequest(id, region, endpoint)).block(DISCOVERY_DEADLINE);
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Timeout on blocking read")) {
                throw e;
            }
            throw new CliException(ExitCode.AWS_API_ERROR, "DescribeClusters for " + id + " at "
                    + endpoint.map(URI::toString).orElse("the region's public endpoint") + ": no answer within "
                    + DISCOVERY_DEADLINE.toSeconds() + " s; check that the endpoint is reachable and is the CloudHSM API");
        }
        List<DiscoveredHsm> usable = cluster.usableHsms();
        if (usable.isEmpty()) {
            throw new CliException(ExitCode.AWS_API_ERROR, id + " in " + cluster.region() + " has no usable HSM (ACTIVE or DEGRADED)"
                    + unusable(cluster) + "; nothing was written. Add an HSM to the cluster, then run the command again");
        }
        List<ServerConfig> servers = family.servers(cluster, usable, HsmAddress.DEFAULT_PORT);
        return new Found(cluster, servers, endpoint);
    }

    static Optional<URI> endpoint(String value) {
        if (value == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw CliException.badInput("--endpoint " + OptionChecks.shown(value) + ": not a URL; expected http(s)://host[:port]");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw CliException.badInput("--endpoint " + OptionChecks.shown(value) + ": expected an http or https URL such as"
                    + " https://cloudhsmv2.us-east-1.amazonaws.com");
        }
        return Optional.of(uri);
    }

    private static String unusable(DiscoveredCluster cluster) {
        return cluster.hsms().stream().filter(h -> !h.isUsable())
                .map(h -> " " + h.hsmId() + " is " + h.state())
                .collect(Collectors.joining(","));
    }
}
