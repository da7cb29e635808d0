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
 * Runs the cheap-operation benchmark of the connector and of the floor for about a second each,
 * in this JVM (no fork), against a real server JVM, and checks that each produced a result and a
 * latency file. No figure is asserted: this proves the benchmarks work, not how fast anything is.
 * (The blocking client is exercised by {@code bin/bench --quick}; a third server JVM would push
 * this test past half a minute.)
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
    void connectorAndFloorProduceAResultAndALatencyFile() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("^dev\\.multislot\\.bench\\.(Connector|Floor)Benchmark\\.random$")
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
                "dev.multislot.bench.ConnectorBenchmark.random",
                "dev.multislot.bench.FloorBenchmark.random");
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getSampleCount()).as(r.getParams().getBenchmark()).isPositive();
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
        }
        try (Stream<Path> files = Files.list(BenchPaths.latencyDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "ConnectorBenchmark.random-hsms=1-inFlight=16-slots=1.json",
                    "FloorBenchmark.random-hsms=1-inFlight=16-slots=1.json");
        }
    }
}
