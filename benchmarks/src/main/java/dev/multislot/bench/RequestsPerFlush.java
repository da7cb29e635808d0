package dev.multislot.bench;

import dev.multislot.bench.internal.WireCounter;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A secondary JMH result: requests written per flush by the client under test over each
 * measurement iteration, from the {@link WireCounter} its benchmark installed for the trial
 * ({@link #measure}). Like {@link ClientCpu}, each iteration reports its share of the mean, so
 * that JMH's sum over a fork's iterations is the fork's mean. {@value #UNAVAILABLE} when the
 * client has no counter (the summary shows null and says why). JMH reports every public field of
 * an {@code AuxCounters} state, so this class has no other.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class RequestsPerFlush {

    /** Reported for a client that does not count its flushes. */
    static final double UNAVAILABLE = -1;

    private static volatile WireCounter counter;

    /** Requests per flush in the iteration just ended, as its share of the mean (a reported figure). */
    public double requestsPerFlush;

    private int measurementIterations = 1;
    private long requestsAtStart;
    private long flushesAtStart;

    /** The counter of the trial now running in this JVM; null: the client has none. */
    static void measure(WireCounter c) {
        counter = c;
    }

    @Setup(Level.Iteration)
    public void iterationStarts(BenchmarkParams params) {
        measurementIterations = Math.max(1, params.getMeasurement().getCount());
        WireCounter c = counter;
        requestsPerFlush = 0;
        requestsAtStart = c == null ? 0 : c.requests();
        flushesAtStart = c == null ? 0 : c.flushes();
    }

    @TearDown(Level.Iteration)
    public void iterationEnds() {
        WireCounter c = counter;
        if (c == null) {
            requestsPerFlush = UNAVAILABLE / measurementIterations;
            return;
        }
        long flushes = c.flushes() - flushesAtStart;
        long requests = c.requests() - requestsAtStart;
        requestsPerFlush = flushes > 0 ? (double) requests / flushes / measurementIterations : 0;
    }
}
