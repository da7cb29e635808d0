package dev.multislot.local;

import dev.multislot.local.internal.server.HsmServer;

/** Live counters of one HSM since it was created (they survive stop and start). Thread-safe. */
public final class HsmStats {

    private final HsmServer server;

    HsmStats(HsmServer server) {
        this.server = server;
    }

    /** Responses sent, of any status (errors and HSM_BUSY included). */
    public long requestsServed() {
        return server.counters().requestsServed();
    }

    /** Connections open now, including those still in the TLS handshake. */
    public int activeConnections() {
        return server.activeConnections();
    }

    /** HSM_BUSY answers sent (fault switch, throttle, full queue or too many in flight). */
    public long busyAnswers() {
        return server.counters().busyAnswers();
    }

    /** Connections closed because the peer broke the protocol. */
    public long protocolErrors() {
        return server.counters().protocolErrors();
    }

    /** Connections reset at accept because {@link ConnectionLimits#maxConnectionsPerHsm()} were open. */
    public long connectionsRefused() {
        return server.counters().connectionsRefused();
    }

    /** Connections closed for not logging in within the login timeout, or for being idle. */
    public long connectionsTimedOut() {
        return server.counters().connectionsTimedOut();
    }

    /** Requests held back because their connection's answers were not being read (or over its answer budget). */
    public long requestsHeldBack() {
        return server.counters().requestsHeldBack();
    }

    @Override
    public String toString() {
        return "HsmStats[requestsServed=" + requestsServed() + ", activeConnections=" + activeConnections()
                + ", busyAnswers=" + busyAnswers() + ", protocolErrors=" + protocolErrors() + "]";
    }
}
