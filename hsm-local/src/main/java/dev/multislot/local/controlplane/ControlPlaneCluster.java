package dev.multislot.local.controlplane;

import static dev.multislot.local.controlplane.ControlPlaneHsm.requireText;

import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One cluster the fake control plane hosts, in one region.
 *
 * <p>A cluster is found only by requests signed for its region, as with the real service.
 *
 * @param clusterId the cluster's id, such as {@code cluster-abc1234}; never blank
 * @param region the region that hosts it, such as {@code us-east-1}; never blank
 * @param state the cluster's state as the API names it (such as {@link #ACTIVE}); never blank
 * @param hsms its HSMs in the order the API lists them; HSM ids are unique within the cluster
 * @param networkType {@link #IPV4} or {@link #DUALSTACK} (whose HSMs also have an {@code EniIpV6})
 */
public record ControlPlaneCluster(String clusterId, String region, String state, List<ControlPlaneHsm> hsms, String networkType) {

    /** The state of a cluster in use. */
    public static final String ACTIVE = "ACTIVE";
    /** The network type of a cluster whose HSMs have IPv4 addresses only (the API's default). */
    public static final String IPV4 = "IPV4";
    /** The network type of a cluster whose HSMs have IPv4 and IPv6 addresses. */
    public static final String DUALSTACK = "DUALSTACK";

    /** An {@link #IPV4} cluster. */
    public ControlPlaneCluster(String clusterId, String region, String state, List<ControlPlaneHsm> hsms) {
        this(clusterId, region, state, hsms, IPV4);
    }

    public ControlPlaneCluster {
        requireText(clusterId, "clusterId");
        if (!IPV4.equals(networkType) && !DUALSTACK.equals(networkType)) {
            throw new IllegalArgumentException(clusterId + ": network type must be IPV4 or DUALSTACK, was " + networkType);
        }
        requireText(region, "region");
        requireText(state, "state");
        hsms = List.copyOf(hsms);
        Set<String> ids = new HashSet<>();
        for (ControlPlaneHsm hsm : hsms) {
            if (!ids.add(hsm.hsmId())) {
                throw new IllegalArgumentException(clusterId + ": HSM id " + hsm.hsmId() + " appears twice");
            }
        }
    }

    /**
     * A running {@link LocalCluster} as the API describes it: {@link #ACTIVE}, each HSM
     * {@link ControlPlaneHsm#ACTIVE} with its port reported, in the zones {@code <region>a}, {@code b}, {@code c} in turn; an
     * IPv6 cluster as {@link #DUALSTACK}, each HSM's {@code EniIpV6} its host and its {@code EniIp}
     * {@code 127.0.0.1}, where it does not listen.
     */
    public static ControlPlaneCluster of(LocalCluster cluster, String region) {
        List<ControlPlaneHsm> hsms = new ArrayList<>();
        List<LocalHsm> local = cluster.hsms();
        boolean v6 = false;
        for (int i = 0; i < local.size(); i++) {
            LocalHsm h = local.get(i);
            String zone = region + (char) ('a' + i % 3);
            if (h.host().indexOf(':') >= 0) {
                hsms.add(ControlPlaneHsm.active(h.hsmId(), "127.0.0.1", zone).withPort(h.port()).withEniIpV6(h.host()));
                v6 = true;
            } else {
                hsms.add(ControlPlaneHsm.active(h.hsmId(), h.host(), zone).withPort(h.port()));
            }
        }
        return new ControlPlaneCluster(cluster.clusterId(), region, ACTIVE, hsms, v6 ? DUALSTACK : IPV4);
    }

    /** An {@link #ACTIVE} cluster with the given HSMs. */
    public static ControlPlaneCluster active(String clusterId, String region, ControlPlaneHsm... hsms) {
        return new ControlPlaneCluster(clusterId, region, ACTIVE, List.of(hsms));
    }

    /** This cluster with another list of HSMs. */
    public ControlPlaneCluster withHsms(List<ControlPlaneHsm> newHsms) {
        return new ControlPlaneCluster(clusterId, region, state, newHsms, networkType);
    }

    /** This cluster in another state. */
    public ControlPlaneCluster withState(String newState) {
        return new ControlPlaneCluster(clusterId, region, newState, hsms, networkType);
    }

    /** This cluster with another network type ({@link #IPV4} or {@link #DUALSTACK}). */
    public ControlPlaneCluster withNetworkType(String type) {
        return new ControlPlaneCluster(clusterId, region, state, hsms, type);
    }

    /** This cluster with one more HSM at the end; fails if the id is taken. */
    ControlPlaneCluster plus(ControlPlaneHsm hsm) {
        List<ControlPlaneHsm> list = new ArrayList<>(hsms);
        list.add(hsm);
        return withHsms(list);
    }
}
