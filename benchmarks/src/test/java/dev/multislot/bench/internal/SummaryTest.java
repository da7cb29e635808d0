package dev.multislot.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The summary from JMH result files shaped as JMH 1.37 writes them. */
class SummaryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    private static String result(String benchmark, String params, double score, double norm) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.multislot.bench.%s","mode":"thrpt","threads":1,"forks":1,
                 "measurementIterations":2,"params":{%s},
                 "primaryMetric":{"score":%s,"scoreError":"NaN","scoreUnit":"ops/s","rawData":[[1.0]]},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreUnit":"B/op"},
                                     "clientCpuMicrosPerOp":{"score":%s,"scoreUnit":"#"}}}
                """.formatted(benchmark, params, score, norm, norm / 100);
    }

    @Test
    void pairsClientsByScenarioAndComputesRatiosAndTargets() throws Exception {
        String p4 = "\"hsms\":\"1\",\"inFlight\":\"256\",\"slots\":\"4\"";
        String p64 = "\"hsms\":\"1\",\"inFlight\":\"64\",\"slots\":\"1\"";
        Files.writeString(out.resolve("jmh-random.json"), "[" + String.join(",",
                result("ConnectorBenchmark.random", p4, 900_000, 300),
                result("FloorBenchmark.random", p4, 1_000_000, 150),
                result("BlockingBenchmark.random", p4, 50_000, 2000),
                result("ConnectorBenchmark.random", p64, 400_000, 1500),
                result("BlockingBenchmark.random", p64, 50_000, 2000)) + "]");
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
        Files.writeString(lat.resolve("ConnectorBenchmark.random-x.json"), """
                {"benchmark":"dev.multislot.bench.ConnectorBenchmark.random",
                 "params":{"hsms":"1","inFlight":"256","slots":"4"},"p50_us":100.0,"p99_us":900.0,"p999_us":2000.0}
                """);

        Summary summary = Summary.read(out);
        Path file = out.resolve("summary.json");
        summary.writeJson(file);
        JsonNode root = JSON.readTree(file.toFile());

        assertThat(root.path("scenarios")).hasSize(2);
        JsonNode s4 = root.path("scenarios").get(0);
        assertThat(s4.path("name").asText()).isEqualTo("random/inflight=64/hsms=1/slots=1");
        JsonNode s256 = root.path("scenarios").get(1);
        assertThat(s256.path("in_flight").asInt()).isEqualTo(256);
        assertThat(s256.path("connector_over_floor").asDouble()).isEqualTo(0.9);
        assertThat(s256.path("connector_over_blocking").asDouble()).isEqualTo(18.0);
        assertThat(s256.path("alloc_bytes_per_op").asDouble()).isEqualTo(300.0);
        assertThat(s256.path("alloc_over_floor_bytes_per_op").asDouble()).isEqualTo(150.0);
        assertThat(s256.path("connector_p99_us").asDouble()).isEqualTo(900.0);
        assertThat(s256.path("connector_client_cpu_us_per_op").asDouble()).isEqualTo(3.0);
        assertThat(s256.path("connector_over_floor_client_cpu").asDouble()).isEqualTo(2.0);
        assertThat(s256.path("floor_server_cpu_us_per_op").isNull()).isTrue();
        assertThat(s256.path("floor_p99_us").isNull()).isTrue();
        assertThat(s4.path("floor_ops").isNull()).isTrue();
        assertThat(s4.path("connector_over_floor").isNull()).isTrue();
        assertThat(root.path("reload_p50_ms").asDouble()).isEqualTo(110.0);
        assertThat(root.path("reload_p99_ms").asDouble()).isEqualTo(240.0);
        assertThat(root.path("fanout_100_over_1").asDouble()).isEqualTo(1.6);

        assertThat(summary.table()).contains("random/inflight=256/hsms=1/slots=4").contains("[MET ] hot reload")
                .contains("[MISS] cheap op, 64+ in flight: <= 1 KiB").contains("[n/a ] sign");
    }

    @Test
    void noResultsGiveAnEmptySummaryNotAnError() throws Exception {
        Summary summary = Summary.read(out.resolve("missing"));
        summary.writeJson(out.resolve("summary.json"));
        JsonNode root = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(root.path("scenarios")).isEmpty();
        assertThat(root.path("reload_p99_ms").isNull()).isTrue();
        assertThat(root.path("fanout_100_over_1").isNull()).isTrue();
    }
}
