package dev.multislot.bench;

import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.FloorClient;
import dev.multislot.bench.internal.ServerInfo;

/**
 * The floor: a raw Netty client ({@link FloorClient}) with one connection per HSM, the same
 * codec, TLS settings and event-loop thread count as the connector, and nothing else.
 */
public class FloorBenchmark extends ClientBenchmark {

    /** The connector's default event-loop thread count. */
    static final int EVENT_LOOP_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private FloorClient client;

    @Override
    protected void connect(ServerInfo info) {
        client = FloorClient.connect(info, EVENT_LOOP_THREADS, latency);
    }

    @Override
    protected void run(BenchOp op, int operations) {
        client.run(op, message, operations, inFlight);
    }

    @Override
    protected void disconnect() {
        if (client != null) {
            client.close();
        }
    }
}
