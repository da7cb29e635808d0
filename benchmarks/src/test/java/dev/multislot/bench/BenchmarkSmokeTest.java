package dev.multislot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.bench.internal.BenchPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the cheap-operation benchmark of the connector through the windowed harness and of the
 * floor through {@code flatMap} for about a second each, in this JVM (no fork), against a real
 * server JVM, and checks that each produced a result, its secondary figures (client CPU, and the
 * floor's requests per flush) and a latency file. Between them the two cover both harnesses and
 * both clients. No figure is asserted: this proves the benchmarks work, not how fast anything is.
 * (The other two combinations and the blocking client are exercised by {@code bin/bench --quick};
 * each more server JVM would add several seconds to every build.)
 */
class BenchmarkSmokeTest {

    @TempDir
    Path out;

    private String previousOutputDir;
    private String previousIgnoreLock;

    @BeforeEach
    void pointOutputHere() {
        previousOutputDir = System.getProperty(BenchPaths.OUTPUT_DIR_PROPERTY);
        System.setProperty(BenchPaths.OUTPUT_DIR_PROPERTY, out.toString());
        // JMH allows one run per machine (/tmp/jmh.lock); this test measures nothing, so a
        // benchmark running elsewhere on the machine must not fail it.
        previousIgnoreLock = System.getProperty("jmh.ignoreLock");
        System.setProperty("jmh.ignoreLock", "true");
    }

    @AfterEach
    void restoreProperties() {
        restore(BenchPaths.OUTPUT_DIR_PROPERTY, previousOutputDir);
        restore("jmh.ignoreLock", previousIgnoreLock);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void connectorAndFloorInBothHarnessesProduceAResultAndALatencyFile() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("^dev\\.multislot\\.bench\\.(ConnectorBenchmark\\.randomWindow|FloorBenchmark\\.random)$")
                .param("inFlight", "16")
                .param("hsms", "1")
                .param("slots", "1")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .build()).run();

        List<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).sorted().toList();
        assertThat(ran).containsExactly(
                "dev.multislot.bench.ConnectorBenchmark.randomWindow",
                "dev.multislot.bench.FloorBenchmark.random");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            assertThat(r.getPrimaryResult().getSampleCount()).as(name).isPositive();
            assertThat(r.getPrimaryResult().getScore()).as(name).isPositive();
            assertThat(r.getSecondaryResults()).as(name).containsKeys("clientCpuMicrosPerOp", "requestsPerFlush");
            assertThat(r.getSecondaryResults().get("clientCpuMicrosPerOp").getScore()).as(name).isPositive();
        }
        RunResult floor = results.stream().filter(r -> r.getParams().getBenchmark().endsWith("FloorBenchmark.random"))
                .findFirst().orElseThrow();
        assertThat(floor.getSecondaryResults().get("requestsPerFlush").getScore()).isGreaterThanOrEqualTo(1.0);
        String trial = "-trial=" + ProcessHandle.current().pid() + ".json";
        try (Stream<Path> files = Files.list(BenchPaths.latencyDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "ConnectorBenchmark.randomWindow-hsms=1-inFlight=16-metrics=off-slots=1" + trial,
                    "FloorBenchmark.random-hsms=1-inFlight=16-slots=1" + trial);
        }
    }
}
