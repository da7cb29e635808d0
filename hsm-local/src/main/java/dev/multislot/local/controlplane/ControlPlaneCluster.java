package dev.multislot.local.controlplane;

import static dev.multislot.local.controlplane.ControlPlaneHsm.requireText;

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
 */
public record ControlPlaneCluster(String clusterId, String region, String state, List<ControlPlaneHsm> hsms) {

    /** The state of a cluster in use. */
    public static final String ACTIVE = "ACTIVE";

    public ControlPlaneCluster {
        requireText(clusterId, "clusterId");
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

    /** An {@link #ACTIVE} cluster with the given HSMs. */
    public static ControlPlaneCluster active(String clusterId, String region, ControlPlaneHsm... hsms) {
        return new ControlPlaneCluster(clusterId, region, ACTIVE, List.of(hsms));
    }

    /** This cluster with another list of HSMs. */
    public ControlPlaneCluster withHsms(List<ControlPlaneHsm> newHsms) {
        return new ControlPlaneCluster(clusterId, region, state, newHsms);
    }

    /** This cluster in another state. */
    public ControlPlaneCluster withState(String newState) {
        return new ControlPlaneCluster(clusterId, region, newState, hsms);
    }

    /** This cluster with one more HSM at the end; fails if the id is taken. */
    ControlPlaneCluster plus(ControlPlaneHsm hsm) {
        List<ControlPlaneHsm> list = new ArrayList<>(hsms);
        list.add(hsm);
        return withHsms(list);
    }
}
