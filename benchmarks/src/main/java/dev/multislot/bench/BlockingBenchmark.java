package dev.multislot.bench;

import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.BlockingClient;
import dev.multislot.bench.internal.ServerInfo;

/**
 * The blocking baseline: {@code inFlight} threads, each with its own {@code SSLSocket}
 * connection, one request at a time ({@link BlockingClient}).
 */
public class BlockingBenchmark extends ClientBenchmark {

    private BlockingClient client;

    @Override
    protected void connect(ServerInfo info) {
        client = BlockingClient.connect(info, inFlight, latency);
    }

    @Override
    protected void run(BenchOp op, int operations) {
        client.run(op, message, operations);
    }

    @Override
    protected void disconnect() {
        if (client != null) {
            client.close();
        }
    }
}
