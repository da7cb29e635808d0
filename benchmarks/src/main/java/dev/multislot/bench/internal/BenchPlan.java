package dev.multislot.bench.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bin/bench} measures and for how long: the scenarios (points of the matrix and the
 * benchmarks run at each), the warmup and measurement of every trial, and how many trials each
 * benchmark gets. Defaults measure steady state: throughput stops climbing after about 10 s of
 * warmup here (docs/benchmarks.md), so every trial, the quick run's too, warms up for at least
 * that long; {@link #withTiming} exists only to check the plumbing with shorter runs, and the
 * summary's {@code method} reports whatever was used.
 *
 * @param quick whether this is the quick plan
 * @param warmupIterations warmup iterations per trial
 * @param warmupSeconds seconds per warmup iteration
 * @param measurementIterations measurement iterations per trial
 * @param measurementSeconds seconds per measurement iteration
 * @param trials trials (JMH forks, each a fresh client and server JVM) per benchmark and point
 * @param points the scenarios, in run order
 */
public record BenchPlan(boolean quick, int warmupIterations, int warmupSeconds, int measurementIterations,
                        int measurementSeconds, int trials, List<Point> points) {

    /**
     * A benchmark run with a JMH parameter of its own: {@code Class.method@name=value}. The
     * connector with its meters on a registry ({@code metrics=on}) shows what recording costs
     * beside the same point's run without them.
     */
    static final String METERED_WINDOW = "ConnectorBenchmark.randomWindow@metrics=on";

    /** The connector and the floor in both harnesses: the four benchmarks of a random point. */
    static final List<String> BOTH_HARNESSES = List.of("ConnectorBenchmark.random", "FloorBenchmark.random",
            "ConnectorBenchmark.randomWindow", "FloorBenchmark.randomWindow");

    public BenchPlan {
        if (warmupIterations < 1 || warmupSeconds < 1 || measurementIterations < 1 || measurementSeconds < 1
                || trials < 1) {
            throw new IllegalArgumentException("iterations, seconds and trials must be at least 1; got warmup "
                    + warmupIterations + "x" + warmupSeconds + "s, measurement " + measurementIterations + "x"
                    + measurementSeconds + "s, trials " + trials);
        }
        points = List.copyOf(points);
    }

    /**
     * One point of the matrix and the benchmarks ({@code Class.method}) run at it.
     *
     * @param group the {@code bin/bench --only} group it belongs to ({@code random}, {@code sign})
     */
    public record Point(String group, int inFlight, int hsms, int slots, List<String> benchmarks) {

        /** The {@code Class.method} part of a benchmark entry. */
        public static String method(String benchmark) {
            int at = benchmark.indexOf('@');
            return at < 0 ? benchmark : benchmark.substring(0, at);
        }

        /** The {@code name=value} parameters of a benchmark entry, in order; none for most. */
        public static List<String[]> params(String benchmark) {
            int at = benchmark.indexOf('@');
            List<String[]> out = new ArrayList<>();
            if (at >= 0) {
                for (String kv : benchmark.substring(at + 1).split(",")) {
                    String[] pair = kv.split("=", 2);
                    if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                        throw new IllegalArgumentException("benchmark parameters are name=value, got '" + kv
                                + "' in " + benchmark);
                    }
                    out.add(pair);
                }
            }
            return out;
        }

        public Point {
            benchmarks = List.copyOf(benchmarks);
        }

        /** {@code random inFlight=256 hsms=1 slots=1}. */
        public String describe() {
            return group + " inFlight=" + inFlight + " hsms=" + hsms + " slots=" + slots;
        }
    }

    /**
     * {@code bin/bench --quick}: random at 256 in flight on 1 HSM x 1 slot (with the blocking
     * client) and 3 HSMs x 4 slots, both harnesses; sign at 256 in flight, 1 x 1. 5 x 2 s warmup,
     * 5 x 1 s measurement, 2 trials.
     */
    public static BenchPlan quickPlan() {
        List<Point> p = new ArrayList<>();
        p.add(new Point("random", 256, 1, 1, withBlocking(BOTH_HARNESSES, "random")));
        p.add(new Point("random", 256, 3, 4, BOTH_HARNESSES));
        p.add(new Point("sign", 256, 1, 1, List.of("ConnectorBenchmark.sign", "FloorBenchmark.sign")));
        return new BenchPlan(true, 5, 2, 5, 1, 2, p);
    }

    /**
     * {@code bin/bench}: random at 16 (1 x 1), 64 and 256 in flight (1 x 1 and 3 x 4), both
     * harnesses, with the blocking client at 1 x 1 and, at 256 in flight, the connector with its
     * meters on in the windowed harness; sign at 256 in flight on 1 x 1 (with the blocking
     * client) and 3 x 4. 5 x 3 s warmup, 5 x 2 s measurement, 2 trials.
     */
    public static BenchPlan fullPlan() {
        List<Point> p = new ArrayList<>();
        for (int n : new int[] {16, 64, 256}) {
            List<String> single = withBlocking(BOTH_HARNESSES, "random");
            List<String> spread = new ArrayList<>(BOTH_HARNESSES);
            if (n == 256) {
                single.add(METERED_WINDOW);
                spread.add(METERED_WINDOW);
            }
            p.add(new Point("random", n, 1, 1, single));
            if (n >= 64) {
                p.add(new Point("random", n, 3, 4, spread));
            }
        }
        List<String> sign = List.of("ConnectorBenchmark.sign", "FloorBenchmark.sign");
        p.add(new Point("sign", 256, 1, 1, withBlocking(sign, "sign")));
        p.add(new Point("sign", 256, 3, 4, sign));
        return new BenchPlan(false, 5, 3, 5, 2, 2, p);
    }

    /** This plan with other timings (to check the plumbing; the summary's method says so). */
    public BenchPlan withTiming(int warmupIterations, int warmupSeconds, int measurementIterations,
            int measurementSeconds, int trials) {
        return new BenchPlan(quick, warmupIterations, warmupSeconds, measurementIterations, measurementSeconds,
                trials, points);
    }

    /** Warmup per trial, in seconds. */
    public int warmupTotalSeconds() {
        return warmupIterations * warmupSeconds;
    }

    /** The points of one group. */
    public List<Point> points(String group) {
        return points.stream().filter(p -> p.group().equals(group)).toList();
    }

    private static List<String> withBlocking(List<String> benchmarks, String method) {
        List<String> all = new ArrayList<>(benchmarks);
        all.add("BlockingBenchmark." + method);
        return all;
    }
}
