package dev.multislot.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary from JMH result files shaped as JMH 1.37 writes them (one fork per result, as bin/bench runs). */
class SummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    /**
     * One JMH result of one fork: the primary score's iterations, allocation per op, and the
     * AuxCounters figures as their per-iteration shares of the mean (two iterations).
     */
    private static String result(String benchmark, String params, double[] iterations, double norm, double cpu,
            double perFlush) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.multislot.bench.%s","mode":"thrpt","threads":1,"forks":1,
                 "measurementIterations":2,"params":{%s},
                 "primaryMetric":{"score":%s,"scoreError":"NaN","scoreUnit":"ops/s","rawData":[[%s,%s]]},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreUnit":"B/op","rawData":[[%s,%s]]},
                    "clientCpuMicrosPerOp":{"score":%s,"scoreUnit":"#","rawData":[[%s,%s]]},
                    "requestsPerFlush":{"score":%s,"scoreUnit":"#","rawData":[[%s,%s]]}}}
                """.formatted(benchmark, params, (iterations[0] + iterations[1]) / 2, iterations[0], iterations[1],
                norm, norm, norm, cpu, cpu / 2, cpu / 2, perFlush, perFlush / 2, perFlush / 2);
    }

    /** One trial's latency file, shaped as LatencyRecorder writes it. */
    private static void latencyFile(Path dir, String file, String benchmark, String params, double p50, double p99,
            double p999) throws Exception {
        Files.writeString(dir.resolve(file), """
                {"benchmark":"dev.multislot.bench.%s","params":{%s},"p50_us":%s,"p99_us":%s,"p999_us":%s}
                """.formatted(benchmark, params, p50, p99, p999));
    }

    private static String point(int inFlight, int hsms, int slots) {
        return "\"hsms\":\"%d\",\"inFlight\":\"%d\",\"slots\":\"%d\"".formatted(hsms, inFlight, slots);
    }

    private static JsonNode scenario(JsonNode root, String name) {
        return StreamSupport.stream(root.path("scenarios").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    private static JsonNode target(JsonNode root, String startsWith) {
        return StreamSupport.stream(root.path("targets").spliterator(), false)
                .filter(t -> t.path("target").asText().startsWith(startsWith)).findFirst().orElseThrow();
    }

    @Test
    void pairsClientsByScenarioAndHarnessOverTrialsAndEvaluatesTheTargets() throws Exception {
        String p1 = point(256, 1, 1);
        String p12 = point(256, 3, 4);
        Files.writeString(out.resolve("jmh-random.json"), "[" + String.join(",",
                // two trials each of the connector and the floor, flatMap and windowed, on one connection
                result("ConnectorBenchmark.random", p1, new double[] {80_000, 80_000}, 600, 2.0, -1),
                result("ConnectorBenchmark.random", p1, new double[] {100_000, 100_000}, 600, 2.0, -1),
                result("FloorBenchmark.random", p1, new double[] {100_000, 100_000}, 400, 1.0, 8),
                result("FloorBenchmark.random", p1, new double[] {100_000, 100_000}, 400, 1.0, 10),
                result("ConnectorBenchmark.randomWindow", p1, new double[] {95_000, 95_000}, 300, 1.2, -1),
                result("ConnectorBenchmark.randomWindow", p1, new double[] {95_000, 95_000}, 300, 1.2, -1),
                result("FloorBenchmark.randomWindow", p1, new double[] {100_000, 100_000}, 200, 1.0, 12),
                result("FloorBenchmark.randomWindow", p1, new double[] {100_000, 100_000}, 200, 1.0, 12),
                result("BlockingBenchmark.random", p1, new double[] {5_000, 5_000}, 3000, 30, -1),
                result("BlockingBenchmark.random", p1, new double[] {5_000, 5_000}, 3000, 30, -1),
                // 12 connections, windowed only, and a warmup that was too short (the score climbs)
                result("ConnectorBenchmark.randomWindow", p12, new double[] {50_000, 70_000}, 500, 3.0, -1),
                result("FloorBenchmark.randomWindow", p12, new double[] {100_000, 100_000}, 450, 2.0, 3)) + "]");
        Files.writeString(out.resolve("jmh-reload.json"), """
                [{"benchmark":"dev.multislot.bench.ReloadBenchmark.addClusterUntilServing","mode":"ss","forks":1,
                  "measurementIterations":100,"params":{},
                  "primaryMetric":{"score":120.0,"scoreUnit":"ms/op","scorePercentiles":{"50.0":110.0,"99.0":240.0}}}]
                """);
        Files.writeString(out.resolve("jmh-fanout.json"), """
                [{"benchmark":"dev.multislot.bench.FanoutBenchmark.discover","mode":"ss","params":{"clusters":"1"},
                  "primaryMetric":{"score":0.05,"scoreUnit":"s/op"}},
                 {"benchmark":"dev.multislot.bench.FanoutBenchmark.discover","mode":"ss","params":{"clusters":"100"},
                  "primaryMetric":{"score":0.08,"scoreUnit":"s/op"}}]
                """);
        Path lat = Files.createDirectories(out.resolve("bench").resolve("latency"));
        latencyFile(lat, "ConnectorBenchmark.random-a.json", "ConnectorBenchmark.random", p1, 100.0, 800.0, 2000.0);
        latencyFile(lat, "ConnectorBenchmark.random-b.json", "ConnectorBenchmark.random", p1, 100.0, 1000.0, 2000.0);
        RunMethod.write(out, BenchPlan.quickPlan(), CpuPinning.plan(List.of(0, 1), Optional.of(Path.of("taskset"))));

        Summary summary = Summary.read(out).withNote("connector_requests_per_flush", "no counter yet");
        Path file = out.resolve("summary.json");
        SummaryJson.write(summary, file);
        JsonNode root = JSON.readTree(file.toFile());

        JsonNode method = root.path("method");
        assertThat(method.path("warmup_s").asInt()).isEqualTo(10);
        assertThat(method.path("measurement_iterations").asInt()).isEqualTo(5);
        assertThat(method.path("trials").asInt()).isEqualTo(2);
        assertThat(method.path("pinned").asBoolean()).isTrue();
        assertThat(method.path("client_cpus").asText()).isEqualTo("0");
        assertThat(method.path("server_cpus").asText()).isEqualTo("1");

        assertThat(root.path("scenarios")).hasSize(3);
        JsonNode flat = scenario(root, "random/flatmap/inflight=256/hsms=1/slots=1");
        assertThat(flat.path("harness").asText()).isEqualTo("flatmap");
        assertThat(flat.path("trials").asInt()).isEqualTo(2);
        assertThat(flat.path("connector_ops").asDouble()).isEqualTo(90_000.0);
        assertThat(flat.path("connector_ops_trials").get(0).asDouble()).isEqualTo(80_000.0);
        assertThat(flat.path("connector_over_floor").asDouble()).isEqualTo(0.9);
        assertThat(flat.path("connector_over_floor_range").get(0).asDouble()).isEqualTo(0.8);
        assertThat(flat.path("connector_over_floor_range").get(1).asDouble()).isEqualTo(1.0);
        assertThat(flat.path("connector_over_blocking").asDouble()).isEqualTo(18.0);
        assertThat(flat.path("alloc_bytes_per_op").asDouble()).isEqualTo(600.0);
        assertThat(flat.path("floor_alloc_bytes_per_op").asDouble()).isEqualTo(400.0);
        assertThat(flat.path("alloc_over_floor_bytes_per_op").asDouble()).isEqualTo(200.0);
        assertThat(flat.path("connector_client_cpu_us_per_op").asDouble()).isEqualTo(2.0);
        assertThat(flat.path("floor_client_cpu_us_per_op").asDouble()).isEqualTo(1.0);
        assertThat(flat.path("connector_over_floor_client_cpu").asDouble()).isEqualTo(2.0);
        assertThat(flat.path("connector_requests_per_flush").isNull()).isTrue();
        assertThat(flat.path("floor_requests_per_flush").asDouble()).isEqualTo(9.0);
        assertThat(flat.path("connector_p99_us").asDouble()).isEqualTo(900.0);
        assertThat(flat.path("floor_p99_us").isNull()).isTrue();
        assertThat(flat.path("connector_iteration_drift").asDouble()).isZero();

        JsonNode window = scenario(root, "random/window/inflight=256/hsms=1/slots=1");
        assertThat(window.path("harness").asText()).isEqualTo("window");
        assertThat(window.path("connector_over_floor").asDouble()).isEqualTo(0.95);
        assertThat(window.path("blocking_ops").asDouble()).isEqualTo(5_000.0);
        assertThat(window.path("alloc_over_floor_bytes_per_op").asDouble()).isEqualTo(100.0);

        JsonNode twelve = scenario(root, "random/window/inflight=256/hsms=3/slots=4");
        assertThat(twelve.path("connections").asInt()).isEqualTo(12);
        assertThat(twelve.path("trials").asInt()).isEqualTo(1);
        assertThat(twelve.path("connector_iteration_drift").asDouble()).isEqualTo(0.333);
        assertThat(twelve.path("blocking_ops").isNull()).isTrue();

        assertThat(root.path("notes").path("connector_requests_per_flush").asText()).isEqualTo("no counter yet");
        JsonNode cpu = target(root, "harness-free random, 64 and 256 in flight, 1 and 12 connections: client CPU");
        assertThat(cpu.path("figure").asDouble()).isEqualTo(1.5);
        assertThat(cpu.path("scenario").asText()).isEqualTo("random/window/inflight=256/hsms=3/slots=4");
        assertThat(cpu.path("met").asBoolean()).isFalse();
        JsonNode bytes = target(root, "harness-free random, 64 and 256 in flight, 1 and 12 connections: bytes");
        assertThat(bytes.path("figure").asDouble()).isEqualTo(100.0);
        assertThat(bytes.path("met").asBoolean()).isTrue();
        JsonNode thr = target(root, "pinned JVMs");
        assertThat(thr.path("figure").asDouble()).isEqualTo(0.6);
        assertThat(thr.path("met").asBoolean()).isFalse();
        JsonNode blocking = target(root, "random, 256 in flight, one connection");
        assertThat(blocking.path("figure").asDouble()).isEqualTo(18.0);
        assertThat(blocking.path("met").asBoolean()).isTrue();
        assertThat(target(root, "sign, 256 in flight: throughput").path("met").isNull()).isTrue();
        assertThat(target(root, "hot reload").path("met").asBoolean()).isTrue();
        assertThat(root.path("reload_p99_ms").asDouble()).isEqualTo(240.0);
        assertThat(root.path("fanout_100_over_1").asDouble()).isEqualTo(1.6);
        assertThat(target(root, "discovery").path("met").asBoolean()).isTrue();

        assertThat(summary.table()).contains("random/window/inflight=256/hsms=3/slots=4").contains("[MET ] hot reload")
                .contains("[MISS] harness-free random").contains("[n/a ] sign");
    }

    @Test
    void theConnectorWithMetricsOnStandsBesideTheSameRunWithout() throws Exception {
        String p = point(256, 1, 1);
        String on = p + ",\"metrics\":\"on\"";
        String off = p + ",\"metrics\":\"off\"";
        Files.writeString(out.resolve("jmh-random.json"), "[" + String.join(",",
                result("ConnectorBenchmark.randomWindow", off, new double[] {100_000, 100_000}, 300, 1.0, 4),
                result("ConnectorBenchmark.randomWindow", on, new double[] {90_000, 90_000}, 340, 1.1, 4),
                result("FloorBenchmark.randomWindow", p, new double[] {100_000, 100_000}, 200, 1.0, 12)) + "]");
        Path lat = Files.createDirectories(out.resolve("bench").resolve("latency"));
        latencyFile(lat, "ConnectorBenchmark.randomWindow-off.json", "ConnectorBenchmark.randomWindow", off, 1.0, 500.0, 9.0);
        latencyFile(lat, "ConnectorBenchmark.randomWindow-on.json", "ConnectorBenchmark.randomWindow", on, 1.0, 600.0, 9.0);
        Summary summary = Summary.read(out);
        SummaryJson.write(summary, out.resolve("summary.json"));
        JsonNode s = scenario(JSON.readTree(out.resolve("summary.json").toFile()), "random/window/inflight=256/hsms=1/slots=1");
        // The unmetered run stays the connector's figure, against which every target is judged.
        assertThat(s.path("connector_ops").asDouble()).isEqualTo(100_000.0);
        assertThat(s.path("connector_over_floor").asDouble()).isEqualTo(1.0);
        assertThat(s.path("connector_metered_ops").asDouble()).isEqualTo(90_000.0);
        assertThat(s.path("metered_over_unmetered").asDouble()).isEqualTo(0.9);
        assertThat(s.path("metered_over_unmetered_client_cpu").asDouble()).isEqualTo(1.1);
        assertThat(s.path("metered_alloc_over_unmetered_bytes_per_op").asDouble()).isEqualTo(40.0);
        assertThat(s.path("connector_p99_us").asDouble()).isEqualTo(500.0);
        assertThat(s.path("connector_metered_p99_us").asDouble()).isEqualTo(600.0);
        assertThat(summary.table()).contains("metrics on vs off, random/window/inflight=256/hsms=1/slots=1: throughput 0.900 x");
    }

    @Test
    void aBenchmarkEntryCarriesItsOwnParameters() {
        assertThat(BenchPlan.Point.method("ConnectorBenchmark.randomWindow@metrics=on"))
                .isEqualTo("ConnectorBenchmark.randomWindow");
        assertThat(BenchPlan.Point.params("ConnectorBenchmark.randomWindow@metrics=on"))
                .singleElement().satisfies(kv -> assertThat(kv).containsExactly("metrics", "on"));
        assertThat(BenchPlan.Point.params("FloorBenchmark.random")).isEmpty();
        assertThat(BenchPlan.fullPlan().points("random")).filteredOn(pt -> pt.inFlight() == 256)
                .allSatisfy(pt -> assertThat(pt.benchmarks()).contains(BenchPlan.METERED_WINDOW));
    }

    @Test
    void anUnpinnedRunDoesNotJudgeTheThroughputTarget() throws Exception {
        String p = point(64, 1, 1);
        Files.writeString(out.resolve("jmh-random.json"), "[" + String.join(",",
                result("ConnectorBenchmark.random", p, new double[] {95_000, 95_000}, 600, 2.0, -1),
                result("FloorBenchmark.random", p, new double[] {100_000, 100_000}, 400, 1.0, 8)) + "]");
        RunMethod.write(out, BenchPlan.fullPlan(), CpuPinning.plan(List.of(0), Optional.empty()));
        SummaryJson.write(Summary.read(out), out.resolve("summary.json"));
        JsonNode root = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(root.path("method").path("pinned").asBoolean()).isFalse();
        assertThat(root.path("method").path("not_pinned_because").asText()).contains("one CPU");
        JsonNode thr = target(root, "pinned JVMs");
        assertThat(thr.path("figure").asDouble()).isEqualTo(0.95);
        assertThat(thr.path("met").isNull()).isTrue();
        assertThat(thr.path("measured").asText()).contains("not pinned");
    }

    @Test
    void noResultsGiveAnEmptySummaryNotAnError() throws Exception {
        Summary summary = Summary.read(out.resolve("missing"));
        SummaryJson.write(summary, out.resolve("summary.json"));
        JsonNode root = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(root.path("scenarios")).isEmpty();
        assertThat(root.path("method").isNull()).isTrue();
        assertThat(root.path("reload_p99_ms").isNull()).isTrue();
        assertThat(root.path("fanout_100_over_1").isNull()).isTrue();
    }
}
