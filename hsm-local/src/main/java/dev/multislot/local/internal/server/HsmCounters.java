package dev.multislot.local.internal.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one HSM, written by its event loop and workers, read by anyone. */
public final class HsmCounters {

    private final LongAdder requestsServed = new LongAdder();
    private final LongAdder busyAnswers = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder connectionsTimedOut = new LongAdder();
    private final LongAdder heldBack = new LongAdder();

    /** Responses sent, of any status. */
    public long requestsServed() {
        return requestsServed.sum();
    }

    /** HSM_BUSY responses sent. */
    public long busyAnswers() {
        return busyAnswers.sum();
    }

    /** Connections closed because their peer broke the protocol. */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Connections reset at accept because the HSM had its maximum open. */
    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    /** Connections closed for not logging in in time, or for being idle. */
    public long connectionsTimedOut() {
        return connectionsTimedOut.sum();
    }

    /** Requests read but held back (not started) because their connection's answers were not being read. */
    public long requestsHeldBack() {
        return heldBack.sum();
    }

    void connectionRefused() {
        connectionsRefused.increment();
    }

    void connectionTimedOut() {
        connectionsTimedOut.increment();
    }

    void heldBack() {
        heldBack.increment();
    }

    void served() {
        requestsServed.increment();
    }

    void busy() {
        busyAnswers.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }
}
