package dev.multislot.discovery.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.HsmState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudhsmv2.model.Cluster;
import software.amazon.awssdk.services.cloudhsmv2.model.Hsm;

/** The SDK's {@link Cluster} as the API's {@link DiscoveredCluster}. */
public final class ClusterMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMapper.class);

    private ClusterMapper() {
    }

    /**
     * Every HSM is kept, in the API's order, with its state mapped by {@link HsmState#fromApi}; which
     * ones a connector uses is {@link DiscoveredCluster#usableHsms()}'s business. An HSM without an id
     * (the API always sends one) is dropped, as nothing could name it.
     */
    public static DiscoveredCluster toDiscovered(Cluster cluster, String region) {
        List<DiscoveredHsm> hsms = new ArrayList<>();
        for (Hsm hsm : cluster.hsms()) {
            if (hsm.hsmId() == null || hsm.hsmId().isBlank()) {
                LOG.warn("{}: DescribeClusters listed an HSM without an id (state {}, address {}); ignoring it",
                        cluster.clusterId(), hsm.stateAsString(), hsm.eniIp());
                continue;
            }
            hsms.add(new DiscoveredHsm(hsm.hsmId(), hsm.eniIp(), hsm.availabilityZone(), HsmState.fromApi(hsm.stateAsString()),
                    Optional.ofNullable(hsm.eniIpV6()).filter(ip -> !ip.isBlank())));
        }
        String state = cluster.stateAsString() != null ? cluster.stateAsString() : "UNKNOWN";
        return new DiscoveredCluster(ClusterId.of(cluster.clusterId()), state, region, hsms,
                Optional.ofNullable(cluster.networkTypeAsString()).filter(t -> !t.isBlank()));
    }
}
