package dev.multislot.bench;

import dev.multislot.bench.internal.ServerProcess;
import dev.multislot.bench.internal.ThreadCpu;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Secondary JMH results: the CPU time the benchmark JVM's application threads (event loops,
 * client threads, the benchmark thread; not the JIT compilers, GC or VM threads: see
 * {@link ThreadCpu}) spent per operation, in microseconds, and the same for the HSM server's JVM
 * ({@link ServerProcess#currentServerCpuNanos()}, 10 ms resolution). Unlike throughput, these
 * barely move when other processes load the machine, so they compare the clients' own cost even
 * on a busy box. Each figure is the mean over the measurement iterations.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class ClientCpu {

    /** Client CPU microseconds per operation in the iteration just ended (a reported figure). */
    public double clientCpuMicrosPerOp;

    /** Server CPU microseconds per operation in the iteration just ended (a reported figure). */
    public double serverCpuMicrosPerOp;

    private int measurementIterations = 1;
    private long cpuAtStart;
    private long serverCpuAtStart;
    private long operations;

    @Setup(Level.Iteration)
    public void iterationStarts(BenchmarkParams params) {
        // JMH sums an EVENTS counter over the measurement iterations: report each iteration's
        // share of the mean so that the sum is the mean.
        measurementIterations = Math.max(1, params.getMeasurement().getCount());
        operations = 0;
        clientCpuMicrosPerOp = 0;
        serverCpuMicrosPerOp = 0;
        serverCpuAtStart = ServerProcess.currentServerCpuNanos();
        cpuAtStart = ThreadCpu.ownNanos();
    }

    /** Counts operations done in this iteration. */
    void add(int ops) {
        operations += ops;
    }

    @TearDown(Level.Iteration)
    public void iterationEnds() {
        long cpu = ThreadCpu.ownNanos() - cpuAtStart;
        long serverCpu = ServerProcess.currentServerCpuNanos();
        if (operations > 0) {
            clientCpuMicrosPerOp = cpu / 1000.0 / operations / measurementIterations;
            if (serverCpuAtStart >= 0 && serverCpu >= 0) {
                serverCpuMicrosPerOp = (serverCpu - serverCpuAtStart) / 1000.0 / operations / measurementIterations;
            }
        }
    }
}
