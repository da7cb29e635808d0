package dev.multislot.bench;

import dev.multislot.bench.internal.BenchPaths;
import dev.multislot.bench.internal.BenchPlan;
import dev.multislot.bench.internal.CpuPinning;
import dev.multislot.bench.internal.RunMethod;
import dev.multislot.bench.internal.Summary;
import dev.multislot.bench.internal.SummaryJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.Collection;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite and writes the summary; {@code bin/bench} calls it.
 *
 * <pre>
 * BenchMain [--quick] [--out DIR] [--only GROUP[,GROUP...]] [--summary-only]
 *           [--warmup N:S] [--measure N:S] [--trials N]
 * </pre>
 *
 * <ul>
 *   <li>{@code --quick}: the reduced matrix of {@link BenchPlan#quickPlan()}, still warmed up to
 *       steady state; 10 reloads; 2 s of fan-out per cluster count.</li>
 *   <li>{@code --warmup}, {@code --measure}, {@code --trials}: other iteration counts and seconds
 *       per iteration, to check the plumbing quickly; figures from shorter runs are not steady
 *       state, and the summary's {@code method} says what was used.</li>
 *   <li>{@code --out DIR}: where JMH's JSON results ({@code jmh-<group>.json}), the latency files
 *       and {@code summary.json} go; default {@code target}.</li>
 *   <li>{@code --only}: run only some groups of {@value #GROUPS}.</li>
 *   <li>{@code --summary-only}: rebuild the summary from the results already in {@code DIR}.</li>
 * </ul>
 */
public final class BenchMain {

    static final String GROUPS = "random,sign,reload,fanout";
    private static final int LOCK_ATTEMPTS = 30;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    private BenchMain() {
    }

    public static void main(String[] args) {
        dev.multislot.local.internal.launch.LaunchLogging.configure(System.getenv(), "info", System.err);
        boolean quick = false;
        boolean summaryOnly = false;
        int[] warmup = null;
        int[] measure = null;
        Integer trials = null;
        Path out = Path.of("target");
        Set<String> groups = new LinkedHashSet<>(List.of(GROUPS.split(",")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--summary-only" -> summaryOnly = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--warmup" -> warmup = iterations(value(args, ++i, "--warmup"), "--warmup");
                case "--measure" -> measure = iterations(value(args, ++i, "--measure"), "--measure");
                case "--trials" -> trials = iterations(value(args, ++i, "--trials") + ":1", "--trials")[0];
                case "--only" -> {
                    groups.clear();
                    for (String g : value(args, ++i, "--only").split(",")) {
                        if (!List.of(GROUPS.split(",")).contains(g)) {
                            usage("--only takes groups from " + GROUPS + ", got '" + g + "'");
                        }
                        groups.add(g);
                    }
                }
                case "-h", "--help" -> {
                    System.out.println("usage: bench [--quick] [--out DIR] [--only " + GROUPS.replace(',', '|')
                            + "[,...]] [--summary-only]");
                    return;
                }
                default -> usage("unknown option '" + args[i] + "'");
            }
        }
        out = out.toAbsolutePath();
        if (!summaryOnly) {
            BenchPlan plan = quick ? BenchPlan.quickPlan() : BenchPlan.fullPlan();
            if (warmup != null || measure != null || trials != null) {
                plan = plan.withTiming(warmup != null ? warmup[0] : plan.warmupIterations(),
                        warmup != null ? warmup[1] : plan.warmupSeconds(),
                        measure != null ? measure[0] : plan.measurementIterations(),
                        measure != null ? measure[1] : plan.measurementSeconds(),
                        trials != null ? trials : plan.trials());
            }
            CpuPinning pinning = CpuPinning.pinThisProcess();
            System.out.println("bench: " + (pinning.pinned()
                    ? "client JVMs on CPUs " + pinning.clientCpus() + ", HSM-server JVMs on CPUs " + pinning.serverCpus()
                    : "JVMs not pinned (" + pinning.reason() + ")")
                    + "; warmup " + plan.warmupIterations() + " x " + plan.warmupSeconds() + " s, measurement "
                    + plan.measurementIterations() + " x " + plan.measurementSeconds() + " s, "
                    + plan.trials() + " trials per benchmark");
            RunMethod.write(out, plan, pinning);
            for (String g : groups) {
                runGroup(g, plan, pinning, out);
            }
        }
        Summary summary = Summary.read(out);
        System.out.println();
        System.out.print(summary.table());
        SummaryJson.write(summary, out.resolve("summary.json"));
        System.out.println("summary written to " + out.resolve("summary.json"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    /** {@code N:S}: N iterations of S seconds, both at least 1. */
    private static int[] iterations(String v, String option) {
        String[] parts = v.split(":");
        try {
            if (parts.length == 2) {
                int n = Integer.parseInt(parts[0]);
                int sec = Integer.parseInt(parts[1]);
                if (n >= 1 && sec >= 1) {
                    return new int[] {n, sec};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " takes N:S (N iterations of S seconds, both at least 1), got '" + v + "'");
        return null;
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: bench [--quick] [--out DIR] [--only " + GROUPS.replace(',', '|') + "[,...]] [--summary-only]"
                + " [--warmup N:S] [--measure N:S] [--trials N]");
        System.exit(2);
    }

    private static void runGroup(String group, BenchPlan plan, CpuPinning pinning, Path out) {
        Path results = out.resolve("jmh-" + group + ".json");
        Path benchDir = out.resolve("bench");
        try {
            Files.createDirectories(benchDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + benchDir, e);
        }
        deleteQuietly(results);
        deleteLatencyFiles(benchDir.resolve("latency"), group);
        System.out.println("== " + group + (plan.quick() ? " (quick)" : "") + " -> " + results);
        List<RunResult> all = new ArrayList<>();
        switch (group) {
            case "random", "sign" -> {
                // Each trial is its own JMH run of one benchmark (one fork). The benchmarks of a
                // point run back to back, forward in odd rounds and backward in even ones, so that
                // load drifting on a shared machine weighs on every client alike.
                for (BenchPlan.Point p : plan.points(group)) {
                    for (int round = 0; round < plan.trials(); round++) {
                        List<String> order = new ArrayList<>(p.benchmarks());
                        if (round % 2 == 1) {
                            Collections.reverse(order);
                        }
                        for (String b : order) {
                            ChainedOptionsBuilder o = common(benchDir, pinning)
                                    .include("^dev\\.multislot\\.bench\\."
                                            + BenchPlan.Point.method(b).replace(".", "\\.") + "$")
                                    .addProfiler(GCProfiler.class)
                                    .param("inFlight", Integer.toString(p.inFlight()))
                                    .param("hsms", Integer.toString(p.hsms()))
                                    .param("slots", Integer.toString(p.slots()))
                                    .warmupIterations(plan.warmupIterations())
                                    .warmupTime(TimeValue.seconds(plan.warmupSeconds()))
                                    .measurementIterations(plan.measurementIterations())
                                    .measurementTime(TimeValue.seconds(plan.measurementSeconds()));
                            for (String[] kv : BenchPlan.Point.params(b)) {
                                o.param(kv[0], kv[1]);
                            }
                            all.addAll(run(o, b + " " + p.describe() + " trial " + (round + 1)));
                        }
                    }
                }
            }
            case "reload" -> {
                ChainedOptionsBuilder o = common(benchDir, pinning).include("^dev\\.multislot\\.bench\\.ReloadBenchmark\\.");
                if (plan.quick()) {
                    o.warmupIterations(2).measurementIterations(10);
                } else {
                    o.warmupIterations(3).measurementIterations(100);
                }
                all.addAll(run(o, group));
            }
            case "fanout" -> {
                ChainedOptionsBuilder o = common(benchDir, pinning).include("^dev\\.multislot\\.bench\\.FanoutBenchmark\\.")
                        .forks(plan.trials());
                if (plan.quick()) {
                    o.warmupIterations(1).measurementIterations(2);
                } else {
                    o.warmupIterations(2).measurementIterations(4);
                }
                all.addAll(run(o, group));
            }
            default -> throw new IllegalArgumentException(group);
        }
        if (!all.isEmpty()) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, results.toString()).writeOut(all);
            System.out.println("== " + group + ": " + all.size() + " results in " + results);
        }
    }

    private static ChainedOptionsBuilder common(Path benchDir, CpuPinning pinning) {
        // Forks inherit this process's CPUs (the client set); each starts its HSM server on the
        // server set. Netty's leak detector is off in benchmark JVMs only, never in tests.
        return new OptionsBuilder()
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .jvmArgsAppend(forkOptions("-D" + BenchPaths.OUTPUT_DIR_PROPERTY + "=" + benchDir,
                        "-Dio.netty.leakDetection.level=disabled",
                        "-D" + CpuPinning.SERVER_CPUS_PROPERTY + "=" + (pinning.pinned() ? pinning.serverCpus() : "")))
                .shouldFailOnError(false)
                .timeout(TimeValue.minutes(3));
    }

    /**
     * The forks log at warn (their lines would interleave with JMH's) unless MULTISLOT_LOG_LEVEL says
     * otherwise; the loggers that print secrets stay pinned as in this JVM.
     */
    private static String[] forkOptions(String... fixed) {
        List<String> options = new ArrayList<>(List.of(fixed));
        String wanted = System.getenv(dev.multislot.local.internal.launch.LaunchLogging.ENV_VAR);
        boolean set = wanted != null && dev.multislot.local.internal.launch.LaunchLogging.LEVELS.contains(
                wanted.strip().toLowerCase(java.util.Locale.ROOT));
        for (String o : dev.multislot.local.internal.launch.LaunchLogging.childJvmOptions()) {
            if (set || !o.startsWith("-Dorg.slf4j.simpleLogger.defaultLogLevel=")) {
                options.add(o);
            }
        }
        if (!set) {
            options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        }
        return options.toArray(String[]::new);
    }

    private static Collection<RunResult> run(ChainedOptionsBuilder options, String what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Runner(options.build()).run();
            } catch (RunnerException e) {
                String m = e.getMessage() != null ? e.getMessage() : "";
                // JMH runs one benchmark per machine at a time (/tmp/jmh.lock): wait for the other
                // run rather than lose a trial; -Djmh.ignoreLock=true runs alongside it instead.
                if (m.contains("JMH lock") && attempt <= LOCK_ATTEMPTS) {
                    System.err.println("bench: another JMH run holds /tmp/jmh.lock; waiting " + LOCK_WAIT.toSeconds()
                            + " s before " + what + " (" + attempt + "/" + LOCK_ATTEMPTS + ")");
                    try {
                        Thread.sleep(LOCK_WAIT.toMillis());
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return List.of();
                    }
                    continue;
                }
                // "No matching benchmarks" when a group's classes are not built: say so and go on.
                System.err.println("bench: " + what + " did not run: "
                        + (!m.isEmpty() ? m : e.getClass().getSimpleName() + " (are its benchmark classes built?)"));
                return List.of();
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old " + p, e);
        }
    }

    private static void deleteLatencyFiles(Path dir, String group) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> old = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            // random's files and randomWindow's: Class.random-..., Class.randomWindow-...
            files.filter(p -> p.getFileName().toString().matches("[A-Za-z]+Benchmark\\." + group + "[A-Za-z]*-.*"))
                    .forEach(old::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        old.sort(Comparator.naturalOrder());
        old.forEach(BenchMain::deleteQuietly);
    }
}
