package dev.multislot.bench;

import dev.multislot.bench.internal.WireCounter;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.connector.internal.transport.ConnectorMetrics;
import java.util.Optional;

/**
 * The one place that reads the connector's count of requests written and flushes (its internal
 * {@link ConnectorMetrics}, counted by each connection's write coalescer), for {@link RequestsPerFlush}.
 */
final class ConnectorWireCounter {

    private ConnectorWireCounter() {
    }

    /** The connector's wire counter. */
    static Optional<WireCounter> of(ReactorHsmConnector connector) {
        ConnectorMetrics metrics = connector.runtime().metrics();
        return Optional.of(new WireCounter() {
            @Override
            public long requests() {
                return metrics.requestsWritten();
            }

            @Override
            public long flushes() {
                return metrics.flushes();
            }
        });
    }
}
