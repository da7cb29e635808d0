package dev.multislot.discovery.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.DiscoveryServiceException;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.HsmState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudhsmv2.model.Cluster;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersResponse;
import software.amazon.awssdk.services.cloudhsmv2.model.Hsm;

/** The SDK's {@link Cluster} as the API's {@link DiscoveredCluster}, every value checked on the way in. */
public final class ClusterMapper {

    /**
     * The response header in which hsm-local's control plane reports the ports of its HSMs
     * ({@code hsm-a=40001,hsm-b=40002}), since the API has no port field: CloudHSM HSMs always
     * listen on 2223, local ones started on port 0 do not. AWS never sends it.
     */
    public static final String PORTS_HEADER = "x-multislot-hsm-ports";

    /** Characters of a bad value quoted in an error, at most. */
    static final int MAX_QUOTED = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMapper.class);

    private ClusterMapper() {
    }

    /** One cluster of an answer, with the HSM ports the answer reported (none from AWS). */
    public record Answered(Cluster cluster, Map<String, Integer> ports) {
    }

    /** The clusters of one page, each with the ports its page reported. */
    public static List<Answered> withReportedPorts(DescribeClustersResponse page) {
        Map<String, Integer> ports = new HashMap<>();
        if (page.sdkHttpResponse() != null) {
            page.sdkHttpResponse().firstMatchingHeader(PORTS_HEADER).ifPresent(v -> {
                for (String entry : v.split(",")) {
                    int eq = entry.indexOf('=');
                    if (eq > 0) {
                        try {
                            int port = Integer.parseInt(entry.substring(eq + 1).trim());
                            if (port >= 1 && port <= 65535) {
                                ports.put(entry.substring(0, eq).trim(), port);
                            }
                        } catch (NumberFormatException e) {
                            // not a port: ignored, the HSM keeps the default port
                        }
                    }
                }
            });
        }
        return page.clusters().stream().map(c -> new Answered(c, Map.copyOf(ports))).toList();
    }

    /**
     * Every HSM is kept, in the API's order, with its state mapped by {@link HsmState#fromApi}; which
     * ones a connector uses is {@link DiscoveredCluster#usableHsms()}'s business. An HSM without an id
     * (the API always sends one) is dropped, as nothing could name it.
     *
     * @throws DiscoveryServiceException if an HSM's address is neither an IP address nor a host name:
     *     such a value is never written into a config or connected to
     */
    public static DiscoveredCluster toDiscovered(Answered answered, DiscoveryTarget target) {
        Cluster cluster = answered.cluster();
        List<DiscoveredHsm> hsms = new ArrayList<>();
        for (Hsm hsm : cluster.hsms()) {
            if (hsm.hsmId() == null || hsm.hsmId().isBlank()) {
                LOG.warn("{}: DescribeClusters listed an HSM without an id (state {}); ignoring it",
                        quote(cluster.clusterId()), quote(hsm.stateAsString()));
                continue;
            }
            String ip = hsm.eniIp();
            if (ip != null && !ip.isEmpty() && !HsmAddress.isValidHost(ip)) {
                throw new DiscoveryServiceException("DescribeClusters in region " + target.region().describe() + " at "
                        + target.endpointDescription() + " gave HSM " + quote(hsm.hsmId()) + " of " + quote(cluster.clusterId())
                        + " the address " + quote(ip) + (ip.length() > MAX_QUOTED ? " (" + ip.length() + " characters)" : "")
                        + ", which is neither an IP address nor a host name; nothing was written. The endpoint does not"
                        + " behave like the CloudHSM API", ClusterId.of(cluster.clusterId()), null);
            }
            Integer port = answered.ports().get(hsm.hsmId());
            String ipV6 = hsm.eniIpV6();
            if (ipV6 != null && !ipV6.isEmpty() && !HsmAddress.isValidHost(ipV6)) {
                throw new DiscoveryServiceException("DescribeClusters in region " + target.region().describe() + " at "
                        + target.endpointDescription() + " gave HSM " + quote(hsm.hsmId()) + " of " + quote(cluster.clusterId())
                        + " the IPv6 address " + quote(ipV6) + ", which is not one; nothing was written. The endpoint does not"
                        + " behave like the CloudHSM API", ClusterId.of(cluster.clusterId()), null);
            }
            hsms.add(new DiscoveredHsm(hsm.hsmId(), ip, hsm.availabilityZone(), HsmState.fromApi(hsm.stateAsString()),
                    port == null ? OptionalInt.empty() : OptionalInt.of(port),
                    Optional.ofNullable(ipV6).filter(v -> !v.isBlank())));
        }
        String state = cluster.stateAsString() != null ? cluster.stateAsString() : "UNKNOWN";
        return new DiscoveredCluster(ClusterId.of(cluster.clusterId()), state, target.region().region(), hsms,
                Optional.ofNullable(cluster.networkTypeAsString()).filter(t -> !t.isBlank()));
    }

    /** A value from the endpoint as an error may show it: in quotes, at most {@value #MAX_QUOTED} characters. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
        StringBuilder sb = new StringBuilder("'");
        shown.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return sb.append('\'').toString();
    }
}
