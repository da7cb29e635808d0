package dev.multislot.bench;

import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.Harness;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import reactor.core.publisher.Mono;

/**
 * What the connector and the floor share: each hands out one request as a cold {@link Mono},
 * and the same {@link Harness} drives both. {@link #random} and {@link #sign} go through
 * {@link Harness#FLATMAP} (what an application writes), {@link #randomWindow} through
 * {@link Harness#WINDOW} (no operator between caller and client), so each client is measured in
 * both shapes and every ratio compares clients driven alike.
 */
public abstract class PipelinedBenchmark extends ClientBenchmark {

    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    /** The request for operation {@code i} of a batch; cold: sends when subscribed. */
    protected abstract Mono<?> call(BenchOp op, int i);

    @Override
    protected final void run(BenchOp op, int operations) {
        Harness.FLATMAP.run(operations, inFlight, i -> call(op, i), latency, BATCH_TIMEOUT);
    }

    /** The cheap operation through {@link Harness#WINDOW}: exactly {@code inFlight} requests in flight. */
    @Benchmark
    @OperationsPerInvocation(RANDOM_OPS)
    public void randomWindow(ClientCpu cpu, RequestsPerFlush flushes) {
        Harness.WINDOW.run(RANDOM_OPS, inFlight, i -> call(BenchOp.RANDOM, i), latency, BATCH_TIMEOUT);
        cpu.add(RANDOM_OPS);
    }
}
