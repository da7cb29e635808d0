package dev.multislot.bench;

import dev.multislot.bench.internal.WireCounter;
import dev.multislot.connector.ReactorHsmConnector;
import java.util.Optional;

/**
 * The one place that reads the connector's count of requests written and flushes, for
 * {@link RequestsPerFlush}. connector-reactor does not expose such a count yet: until it does,
 * this answers empty and the summary reports the connector's requests per flush as null with
 * {@link #UNAVAILABLE_REASON}. Wiring it is a matter of returning a {@link WireCounter} over the
 * connector's own counters here.
 */
final class ConnectorWireCounter {

    /** Why the connector's requests per flush are not reported. */
    static final String UNAVAILABLE_REASON = "connector-reactor exposes no count of requests written and flushes yet"
            + " (the request-path rewrite of issue 12 adds one; benchmarks/ConnectorWireCounter reads it)";

    private ConnectorWireCounter() {
    }

    /** The connector's wire counter, if it has one. */
    static Optional<WireCounter> of(ReactorHsmConnector connector) {
        return Optional.empty();
    }
}
