package dev.multislot.local.internal.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one HSM, written by its event loop and workers, read by anyone. */
public final class HsmCounters {

    private final LongAdder requestsServed = new LongAdder();
    private final LongAdder busyAnswers = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();

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
