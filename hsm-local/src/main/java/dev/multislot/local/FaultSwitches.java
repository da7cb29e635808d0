package dev.multislot.local;

import dev.multislot.local.internal.server.FaultState;
import dev.multislot.local.internal.server.HsmServer;

/**
 * Switches that make one HSM misbehave, for failover and resilience tests. Thread-safe: flip them
 * from any thread at any time; each takes effect from the next request or connection. All are off
 * when the HSM starts, and stay as set across {@link LocalHsm#stop()} and {@link LocalHsm#start()}.
 */
public final class FaultSwitches {

    private final FaultState state;
    private final HsmServer server;

    FaultSwitches(HsmServer server) {
        this.server = server;
        this.state = server.faults();
    }

    /**
     * Stalled, the HSM accepts connections and reads requests but answers none, not even HELLO or
     * PING, until switched back; answers to requests read while stalled are never sent.
     */
    public FaultSwitches stall(boolean on) {
        state.stall(on);
        return this;
    }

    /** While on, every new connection is reset as soon as it is accepted (before TLS). */
    public FaultSwitches refuseConnections(boolean on) {
        state.refuseConnections(on);
        return this;
    }

    /** Closes every open connection now; the HSM keeps listening and accepts new ones. */
    public FaultSwitches dropConnections() {
        server.dropConnections();
        return this;
    }

    /**
     * The next response frame the HSM sends, on any connection, is replaced by a frame no client
     * can decode (a valid length, then a header of an unknown kind). One frame per call.
     */
    public FaultSwitches corruptNextResponse() {
        state.corruptNextResponse();
        return this;
    }

    /** While on, every key or crypto request is answered HSM_BUSY (HELLO, PING, LOGIN, LOGOUT still work). */
    public FaultSwitches busy(boolean on) {
        state.busy(on);
        return this;
    }

    /**
     * While on, keys made on the cluster's other HSMs do not reach this one: it answers requests
     * for them with KEY_HANDLE_INVALID and leaves them out of FIND_KEYS, as an HSM that has not yet
     * synchronized would. Switching it off replicates every key it missed at once.
     */
    public FaultSwitches delayKeyReplication(boolean on) {
        server.cluster().replication().delay(server.hsmId(), on);
        return this;
    }

    /** Turns stall, refuseConnections, busy and delayKeyReplication off. */
    public FaultSwitches reset() {
        state.stall(false);
        state.refuseConnections(false);
        state.busy(false);
        delayKeyReplication(false);
        return this;
    }

    public boolean isDelayingKeyReplication() {
        return server.cluster().replication().isDelayed(server.hsmId());
    }

    public boolean isStalled() {
        return state.stall();
    }

    public boolean isRefusingConnections() {
        return state.refuseConnections();
    }

    public boolean isBusy() {
        return state.busy();
    }

    @Override
    public String toString() {
        return "FaultSwitches" + state.toString().substring("FaultState".length());
    }
}
