package dev.multislot.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that happened to a slot or to one of its HSMs, as published by
 * {@link HsmConnector#events()}.
 *
 * <p>The interface is sealed, so a {@code switch} over the event kinds is checked by the
 * compiler. Every event carries the time it happened.
 */
public sealed interface SlotEvent {

    /** When the event happened. */
    Instant at();

    /** A cluster was configured and its slot takes requests from now on. */
    record SlotAdded(Instant at, SlotId slotId, ClusterId clusterId, int index, List<HsmAddress> hsms)
            implements SlotEvent {
        public SlotAdded {
            Objects.requireNonNull(slotId, "slotId");
            Objects.requireNonNull(clusterId, "clusterId");
            hsms = List.copyOf(hsms);
        }
    }

    /**
     * A cluster left the config: its slot takes no new request and drains the ones it holds.
     *
     * @param inFlight requests still running when draining started
     */
    record SlotDraining(Instant at, SlotId slotId, ClusterId clusterId, int inFlight) implements SlotEvent {}

    /**
     * The slot is gone: every connection is closed.
     *
     * @param abandoned requests that had not finished by the grace deadline and were failed
     */
    record SlotRemoved(Instant at, SlotId slotId, ClusterId clusterId, int abandoned) implements SlotEvent {}

    /**
     * A configured cluster changed (servers, certificates or keys): the slot now uses
     * {@code hsms}, with connections made with its new settings.
     */
    record SlotChanged(Instant at, SlotId slotId, ClusterId clusterId, List<HsmAddress> hsms) implements SlotEvent {
        public SlotChanged {
            hsms = List.copyOf(hsms);
        }
    }

    /** An HSM joined a slot (config change or topology refresh). */
    record HsmAdded(Instant at, SlotId slotId, ClusterId clusterId, HsmAddress hsm) implements SlotEvent {}

    /** An HSM left a slot (config change or topology refresh); its in-flight requests finished first. */
    record HsmRemoved(Instant at, SlotId slotId, ClusterId clusterId, HsmAddress hsm) implements SlotEvent {}

    /** The first connection to an HSM completed its handshake (and login, if one is active). */
    record HsmUp(Instant at, SlotId slotId, ClusterId clusterId, HsmAddress hsm) implements SlotEvent {}

    /**
     * The last open connection to an HSM was lost, or connecting failed.
     *
     * @param reason a one-line description of the cause, without secrets
     */
    record HsmDown(Instant at, SlotId slotId, ClusterId clusterId, HsmAddress hsm, String reason) implements SlotEvent {}

    /** The circuit breaker guarding an HSM changed state. */
    record BreakerStateChanged(Instant at, SlotId slotId, ClusterId clusterId, HsmAddress hsm,
                               BreakerState from, BreakerState to) implements SlotEvent {}

    /**
     * A new config was refused; the last good config stays in force.
     *
     * @param source where the config came from, such as the file path
     * @param problem what is wrong, naming the JSON path where there is one
     */
    record ConfigRejected(Instant at, String source, String problem) implements SlotEvent {}

    /**
     * Re-discovering a cluster's HSMs failed; the slot keeps its last known HSMs. Published once
     * per run of failures, not once per attempt.
     */
    record TopologyRefreshFailed(Instant at, SlotId slotId, ClusterId clusterId, String problem) implements SlotEvent {}
}
