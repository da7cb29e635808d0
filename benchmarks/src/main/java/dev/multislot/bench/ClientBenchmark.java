package dev.multislot.bench;

import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.LatencyRecorder;
import dev.multislot.bench.internal.ServerInfo;
import dev.multislot.bench.internal.ServerProcess;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the three clients (connector, floor, blocking) share: the scenario parameters, the HSM
 * server JVM started per trial, the latency histogram, the client CPU counter
 * ({@link ClientCpu}), requests per flush ({@link RequestsPerFlush}) and the two operations.
 *
 * <p>One invocation performs a fixed batch of operations ({@link #RANDOM_OPS} or
 * {@link #SIGN_OPS}) keeping {@link #inFlight} of them outstanding; JMH divides by
 * {@link OperationsPerInvocation}, so scores are operations per second. One benchmark thread
 * drives each batch; the concurrency is the client's own (event loops for the connector and the
 * floor, {@code inFlight} threads for the blocking client).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public abstract class ClientBenchmark {

    /**
     * Operations per invocation of {@link #random()}: about a second at one in flight, and at 256 in
     * flight 16 windows, so that the batch's ramp-down (in flight falling to zero) costs little.
     */
    public static final int RANDOM_OPS = 4096;
    /** Operations per invocation of {@link #sign()}: about a second of the HSM's signing at one in flight. */
    public static final int SIGN_OPS = 512;

    /** Requests outstanding at once (the blocking client: threads). */
    @Param({"1", "16", "64", "256"})
    public int inFlight;

    /** HSMs per cluster (per slot). */
    @Param({"1", "3"})
    public int hsms;

    /** Clusters (slots); operations go to them in turn. */
    @Param({"1", "4"})
    public int slots;

    protected final LatencyRecorder latency = new LatencyRecorder();
    protected byte[] message;
    private ServerProcess server;

    @Setup(Level.Trial)
    public final void setUpTrial() throws Exception {
        message = new byte[BenchOp.MESSAGE_LENGTH];
        new SecureRandom().nextBytes(message);
        server = ServerProcess.start(slots, hsms);
        try {
            connect(server.info());
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public final void tearDownTrial(BenchmarkParams params) {
        try {
            RequestsPerFlush.measure(null);
            disconnect();
        } finally {
            server.close();
            latency.write(params);
        }
    }

    @Setup(Level.Iteration)
    public final void iterationStarts(IterationParams params) {
        latency.iterationStarts(params);
    }

    @TearDown(Level.Iteration)
    public final void iterationEnds() {
        latency.iterationEnds();
    }

    /** The cheap operation: 32 random bytes from the HSM. */
    @Benchmark
    @OperationsPerInvocation(RANDOM_OPS)
    public void random(ClientCpu cpu, RequestsPerFlush flushes) {
        run(BenchOp.RANDOM, RANDOM_OPS);
        cpu.add(RANDOM_OPS);
    }

    /** ECDSA P-256 sign of a 32-byte message. */
    @Benchmark
    @OperationsPerInvocation(SIGN_OPS)
    public void sign(ClientCpu cpu, RequestsPerFlush flushes) {
        run(BenchOp.SIGN, SIGN_OPS);
        cpu.add(SIGN_OPS);
    }

    /** Connects to every cluster of the server, logs in and generates one EC P-256 key per cluster. */
    protected abstract void connect(ServerInfo info) throws Exception;

    /** Performs {@code operations} of {@code op}, {@link #inFlight} at a time; returns when all ended. */
    protected abstract void run(BenchOp op, int operations);

    /** Closes every connection. */
    protected abstract void disconnect();
}
