package dev.multislot.bench;

import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.FloorClient;
import dev.multislot.bench.internal.ServerInfo;
import reactor.core.publisher.Mono;

/**
 * The floor: a raw Netty client ({@link FloorClient}) with one connection per HSM, the same
 * codec, TLS settings and event-loop thread count as the connector, and nothing else; operation
 * {@code i} goes to connection {@code i mod connections}. It counts its own writes and flushes.
 */
public class FloorBenchmark extends PipelinedBenchmark {

    /** The connector's default event-loop thread count. */
    static final int EVENT_LOOP_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private FloorClient client;

    @Override
    protected void connect(ServerInfo info) {
        client = FloorClient.connect(info, EVENT_LOOP_THREADS, inFlight);
        RequestsPerFlush.measure(client);
    }

    @Override
    protected Mono<?> call(BenchOp op, int i) {
        return client.call(op, message, i);
    }

    @Override
    protected void disconnect() {
        if (client != null) {
            client.close();
        }
    }
}
