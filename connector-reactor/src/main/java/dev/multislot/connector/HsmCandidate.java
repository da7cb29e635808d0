package dev.multislot.connector;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.Optional;

/**
 * One HSM of a slot as a {@link LoadBalancingPolicy} sees it. The same object stands for the HSM
 * in every hook and every {@link LoadBalancingPolicy#pick pick} from the time it is
 * {@link LoadBalancingPolicy#onAdd added} (or given to {@link LoadBalancingPolicy#init init}) until
 * it is {@link LoadBalancingPolicy#onRemove removed}, so a policy may keep it as a map key.
 * Its methods are cheap and thread-safe.
 */
public interface HsmCandidate {

    /** The cluster (slot) the HSM belongs to. */
    ClusterId clusterId();

    /** The HSM's address. */
    HsmAddress address();

    /**
     * The HSM's availability zone, when it is known: recorded in the cluster's config file
     * ({@code availability_zone}, which {@code configure-pkcs11 add-cluster} writes from
     * DescribeClusters) or reported by the last topology refresh; empty otherwise.
     */
    Optional<String> availabilityZone();

    /** Requests sent to this HSM (by any caller of the slot) and not yet answered. */
    int inFlight();
}
