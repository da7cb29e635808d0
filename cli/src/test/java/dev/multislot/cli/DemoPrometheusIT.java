package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/multislot demo --prometheus-port 0}: scraped while it runs, the connector's meters show
 * with their tags, the killed HSM loses its connections, and the request counts agree with the
 * demo's own summary.
 */
class DemoPrometheusIT {

    private static final Pattern PORT = Pattern.compile("Prometheus scrape at http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern KILL = Pattern.compile("kill HSM (\\S+) of cluster-alpha01");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
    private static final Set<String> WORKLOAD_OPERATIONS = Set.of("sign", "verify", "encrypt", "decrypt");

    @TempDir
    Path home;

    record Sample(String name, Map<String, String> labels, double value) {}

    @Test
    void scrapeDuringTheDemoShowsTheMetersAndAgreesWithTheSummary() throws Exception {
        Process p = CliProcess.launcher("multislot", home)
                .start("demo", "--duration", "12s", "--concurrency", "16", "--json", "--prometheus-port", "0");
        p.getOutputStream().close();
        List<String> stderr = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<String> victim = new CompletableFuture<>();
        Thread errReader = new Thread(() -> readLines(new BufferedReader(new InputStreamReader(p.getErrorStream(),
                StandardCharsets.UTF_8)), line -> {
            stderr.add(line);
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
            }
            Matcher k = KILL.matcher(line);
            if (k.find()) {
                victim.complete(k.group(1));
            }
        }), "demo-stderr");
        errReader.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CompletableFuture<String> summaryLine = new CompletableFuture<>();
        Thread outReader = new Thread(() -> readLines(new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8)), line -> {
            if (line.startsWith("{")) {
                summaryLine.complete(line);
            }
        }), "demo-stdout");
        outReader.start();
        try {
            URI metrics = URI.create("http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS) + "/metrics");
            List<List<Sample>> during = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // Scrape while the demo runs, until its summary is printed (bounded in time and count).
            while (!summaryLine.isDone() && System.nanoTime() < deadline && during.size() < 1_000) {
                during.add(parse(scrape(http, metrics)));
                try {
                    summaryLine.get(300, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // scrape again
                }
            }
            String json = summaryLine.get(1, TimeUnit.SECONDS);
            // Printed once the workload has ended: the endpoint serves the run's last figures now.
            List<Sample> last = parse(scrape(http, metrics));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join("\n", stderr)).isZero();

            JsonNode summary = new ObjectMapper().readTree(json);
            Map<String, Long> summaryRequests = new HashMap<>();
            for (JsonNode slot : summary.path("slots")) {
                summaryRequests.put(slot.path("cluster_id").asText(), slot.path("requests").asLong());
            }
            for (String slot : List.of("cluster-alpha01", "cluster-charlie3")) {
                assertThat(workloadRequests(last, slot)).as("requests of %s in the scrape", slot)
                        .isEqualTo(summaryRequests.get(slot)).isPositive();
                assertThat(value(last, "multislot_slot_pending", Map.of("slot", slot))).isZero();
            }
            // The removed slot's meters went with it; before that, they never counted more than it served.
            assertThat(last).noneMatch(s -> "cluster-bravo02".equals(s.labels().get("slot")));
            long bravoSeen = during.stream().mapToLong(s -> workloadRequests(s, "cluster-bravo02")).max().orElse(0);
            assertThat(bravoSeen).isPositive().isLessThanOrEqualTo(summaryRequests.get("cluster-bravo02"));

            assertThat(value(last, "multislot_slots", Map.of())).isEqualTo(2);
            assertThat(value(last, "multislot_config_reloads_total", Map.of("outcome", "applied"))).isGreaterThanOrEqualTo(3);
            assertThat(last).anyMatch(s -> s.name().equals("multislot_hsm_requests_seconds_count")
                    && "cluster-alpha01".equals(s.labels().get("slot")) && s.labels().containsKey("hsm"));
            assertThat(last).anyMatch(s -> s.name().equals("multislot_retries_total")
                    && "failover".equals(s.labels().get("reason")));
            assertThat(last).anyMatch(s -> s.name().equals("multislot_hsm_in_flight"));
            assertThat(last).anyMatch(s -> s.name().equals("multislot_events_dropped_total"));

            String killed = victim.get(1, TimeUnit.SECONDS);
            assertThat(during).as("a scrape while %s was down shows it without ready connections", killed)
                    .anyMatch(scrape -> value(scrape, "multislot_hsm_connections",
                            Map.of("slot", "cluster-alpha01", "hsm", killed, "state", "ready")) == 0);
            assertThat(value(last, "multislot_hsm_connections", Map.of("slot", "cluster-alpha01", "hsm", killed,
                    "state", "ready"))).as("back after the restart").isPositive();
        } finally {
            p.destroyForcibly();
        }
    }

    private static long workloadRequests(List<Sample> scrape, String slot) {
        return (long) scrape.stream()
                .filter(s -> s.name().equals("multislot_requests_seconds_count"))
                .filter(s -> slot.equals(s.labels().get("slot")))
                .filter(s -> WORKLOAD_OPERATIONS.contains(s.labels().get("operation")))
                .filter(s -> !"cancelled".equals(s.labels().get("outcome")))
                .mapToDouble(Sample::value).sum();
    }

    /** The one sample of {@code name} whose labels include {@code labels}; -1 if there is none. */
    private static double value(List<Sample> scrape, String name, Map<String, String> labels) {
        List<Sample> found = scrape.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertThat(found.size()).as("%s%s in the scrape", name, labels).isLessThanOrEqualTo(1);
        return found.isEmpty() ? -1 : found.get(0).value();
    }

    private static String scrape(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    private static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    private static void readLines(BufferedReader reader, java.util.function.Consumer<String> each) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                each.accept(line);
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
