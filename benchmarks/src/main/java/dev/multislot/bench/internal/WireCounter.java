package dev.multislot.bench.internal;

/**
 * What a client has put on the wire so far: requests written and flushes. Their ratio over an
 * iteration is its requests per flush, the measure of how well it batches writes into TLS
 * records. Both counts only grow; they may be read from any thread.
 */
public interface WireCounter {

    /** Requests written so far. */
    long requests();

    /** Flushes (each at least one request) so far. */
    long flushes();
}
