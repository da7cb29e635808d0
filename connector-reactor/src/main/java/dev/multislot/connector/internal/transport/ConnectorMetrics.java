package dev.multislot.connector.internal.transport;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by every connection of a connector, for tests and diagnostics. */
public final class ConnectorMetrics {

    private final LongAdder lateResponses = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder requestsWritten = new LongAdder();
    private final LongAdder flushes = new LongAdder();

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

    /**
     * Requests written to the HSMs (HELLO, LOGIN and PING included), counted when their flush
     * happens; with {@link #flushes()}, how well writes are batched.
     */
    public long requestsWritten() {
        return requestsWritten.sum();
    }

    /** Flushes of the connections that carried at least one request. */
    public long flushes() {
        return flushes.sum();
    }

    /** {@link #requestsWritten()} over {@link #flushes()}; 0 before the first flush. */
    public double requestsPerFlush() {
        long f = flushes.sum();
        return f == 0 ? 0 : (double) requestsWritten.sum() / f;
    }

    /** One flush of {@code requests} requests: two adds per flush, none per request. */
    void flushed(int requests) {
        requestsWritten.add(requests);
        flushes.increment();
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
