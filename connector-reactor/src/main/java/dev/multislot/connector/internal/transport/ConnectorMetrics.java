package dev.multislot.connector.internal.transport;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by every connection of a connector, for tests and diagnostics. */
public final class ConnectorMetrics {

    private final LongAdder lateResponses = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();

    /** Answers that arrived for a request that had already ended (cancelled or timed out), dropped. */
    public long lateResponses() {
        return lateResponses.sum();
    }

    /** Connections that completed their handshake. */
    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    /** Connections closed, for any reason. */
    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    void lateResponse() {
        lateResponses.increment();
    }

    void opened() {
        connectionsOpened.increment();
    }

    void closed() {
        connectionsClosed.increment();
    }
}
