package dev.multislot.bench;

import dev.multislot.bench.internal.BenchPaths;
import dev.multislot.bench.internal.Summary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * </pre>
 *
 * <ul>
 *   <li>{@code --quick}: a smoke run, a few seconds per benchmark (in flight 16 and 256, 1 HSM,
 *       1 slot; 1 warmup iteration of 1 s, 1 measurement iteration of 2 s; 10 reloads; 2 s of
 *       fan-out per cluster count).</li>
 *   <li>{@code --out DIR}: where JMH's JSON results ({@code jmh-<group>.json}), the latency files
 *       and {@code summary.json} go; default {@code target}.</li>
 *   <li>{@code --only}: run only some groups of {@value #GROUPS}.</li>
 *   <li>{@code --summary-only}: rebuild the summary from the results already in {@code DIR}.</li>
 * </ul>
 */
public final class BenchMain {

    static final String GROUPS = "random,sign,reload,fanout";
    private static final String CLIENTS = "(Connector|Floor|Blocking)Benchmark";

    private BenchMain() {
    }

    public static void main(String[] args) {
        dev.multislot.local.internal.launch.LaunchLogging.configure(System.getenv(), "info", System.err);
        boolean quick = false;
        boolean summaryOnly = false;
        Path out = Path.of("target");
        Set<String> groups = new LinkedHashSet<>(List.of(GROUPS.split(",")));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--summary-only" -> summaryOnly = true;
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
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
            for (String g : groups) {
                runGroup(g, quick, out);
            }
        }
        Summary summary = Summary.read(out);
        System.out.println();
        System.out.print(summary.table());
        summary.writeJson(out.resolve("summary.json"));
        System.out.println("summary written to " + out.resolve("summary.json"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: bench [--quick] [--out DIR] [--only " + GROUPS.replace(',', '|') + "[,...]] [--summary-only]");
        System.exit(2);
    }

    private static void runGroup(String group, boolean quick, Path out) {
        Path results = out.resolve("jmh-" + group + ".json");
        Path benchDir = out.resolve("bench");
        try {
            Files.createDirectories(benchDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + benchDir, e);
        }
        deleteQuietly(results);
        deleteLatencyFiles(benchDir.resolve("latency"), group);
        System.out.println("== " + group + (quick ? " (quick)" : "") + " -> " + results);
        List<RunResult> all = new ArrayList<>();
        switch (group) {
            case "random", "sign" -> {
                // One JMH run per scenario, its three clients back to back: on a shared machine the
                // load drifts, and clients compared minutes apart would measure the drift.
                List<String> inFlights = quick ? List.of("16", "256")
                        : group.equals("random") ? List.of("1", "16", "64", "256") : List.of("1", "16", "256");
                List<String> hsms = quick ? List.of("1") : List.of("1", "3");
                List<String> slots = quick ? List.of("1") : List.of("1", "4");
                for (String h : hsms) {
                    for (String s : slots) {
                        for (String n : inFlights) {
                            ChainedOptionsBuilder o = common(benchDir)
                                    .include("^dev\\.multislot\\.bench\\." + CLIENTS + "\\." + group + "$")
                                    .addProfiler(GCProfiler.class)
                                    .param("inFlight", n).param("hsms", h).param("slots", s);
                            if (quick) {
                                o.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                                        .measurementIterations(1).measurementTime(TimeValue.seconds(2));
                            } else {
                                o.warmupIterations(1).warmupTime(TimeValue.milliseconds(1500))
                                        .measurementIterations(2).measurementTime(TimeValue.seconds(1));
                            }
                            all.addAll(run(o, group + " inFlight=" + n + " hsms=" + h + " slots=" + s));
                        }
                    }
                }
            }
            case "reload" -> {
                ChainedOptionsBuilder o = common(benchDir).include("^dev\\.multislot\\.bench\\.ReloadBenchmark\\.");
                if (quick) {
                    o.warmupIterations(2).measurementIterations(10);
                } else {
                    o.warmupIterations(3).measurementIterations(100);
                }
                all.addAll(run(o, group));
            }
            case "fanout" -> {
                ChainedOptionsBuilder o = common(benchDir).include("^dev\\.multislot\\.bench\\.FanoutBenchmark\\.");
                if (quick) {
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

    private static ChainedOptionsBuilder common(Path benchDir) {
        return new OptionsBuilder()
                .forks(1)
                .jvmArgs("-Xms1g", "-Xmx1g")
                .jvmArgsAppend(forkOptions("-D" + BenchPaths.OUTPUT_DIR_PROPERTY + "=" + benchDir))
                .shouldFailOnError(false)
                .timeout(TimeValue.minutes(3));
    }

    /**
     * The forks log at warn (their lines would interleave with JMH's) unless MULTISLOT_LOG_LEVEL says
     * otherwise; the loggers that print secrets stay pinned as in this JVM.
     */
    private static String[] forkOptions(String outputDir) {
        List<String> options = new ArrayList<>(List.of(outputDir));
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
        try {
            return new Runner(options.build()).run();
        } catch (RunnerException e) {
            // "No matching benchmarks" when a group's classes are not built: say so and go on.
            System.err.println("bench: " + what + " did not run: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()
                            + " (are its benchmark classes built?)"));
            return List.of();
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
            files.filter(p -> p.getFileName().toString().contains("." + group + "-")).forEach(old::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        old.sort(Comparator.naturalOrder());
        old.forEach(BenchMain::deleteQuietly);
    }
}
