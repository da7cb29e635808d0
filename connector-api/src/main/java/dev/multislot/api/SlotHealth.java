package dev.multislot.api;

import java.util.List;
import java.util.Objects;

/**
 * A point-in-time view of one slot, for dashboards and health checks.
 *
 * @param slotId the slot
 * @param clusterId its cluster
 * @param hsms one entry per HSM of the slot, in address order
 * @param pendingRequests requests accepted by the slot and not yet ended
 */
public record SlotHealth(SlotId slotId, ClusterId clusterId, List<HsmHealth> hsms, int pendingRequests) {

    public SlotHealth {
        Objects.requireNonNull(slotId, "slotId");
        Objects.requireNonNull(clusterId, "clusterId");
        hsms = List.copyOf(hsms);
    }

    /** Whether at least one HSM is connected and its breaker lets requests through. */
    public boolean isAvailable() {
        return hsms.stream().anyMatch(HsmHealth::isUsable);
    }

    /**
     * The state of one HSM of a slot.
     *
     * @param address the HSM
     * @param connected whether at least one connection to it is open and handshaken
     * @param breaker its circuit breaker's state
     * @param inFlight requests sent to it and not yet answered
     */
    public record HsmHealth(HsmAddress address, boolean connected, BreakerState breaker, int inFlight) {

        public HsmHealth {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(breaker, "breaker");
        }

        /** Connected, and the breaker lets at least some requests through. */
        public boolean isUsable() {
            return connected && breaker != BreakerState.OPEN;
        }
    }
}
