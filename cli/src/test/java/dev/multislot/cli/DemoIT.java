package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job, {@code bin/multislot demo}, in a short run: every scripted step shows in its JSON summary. */
class DemoIT {

    @TempDir
    Path home;

    @Test
    void shortDemoShowsEveryCapabilityWithNoUnexpectedFailure() throws Exception {
        runDemo("software");
    }

    @Test
    void shortDemoOnSoftHsm2TokensShowsEveryCapabilityToo() throws Exception {
        if (!java.nio.file.Files.isRegularFile(Path.of("/usr/lib/softhsm/libsofthsm2.so"))) {
            throw new AssertionError("SoftHSM2 is not installed: 'bin/multislot demo --backend softhsm2' needs it "
                    + "('apt-get install softhsm2'; .ci/run does)");
        }
        CliProcess.Result r = runDemo("softhsm2");
        assertThat(r.stderr()).contains("a SoftHSM2 token per cluster", "PKCS#11 token 'cluster-alpha01'");
    }

    @Test
    void aSigtermStopsTheDemoWithinSecondsAndItStillPrintsItsSummary() throws Exception {
        Process p = CliProcess.launcher("multislot", home).start("demo", "--duration", "5m", "--concurrency", "8", "--json");
        p.getOutputStream().close();
        CompletableFuture<Void> serving = new CompletableFuture<>();
        StringBuilder stderr = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    if (line.contains("req/s")) {
                        serving.complete(null);
                    }
                }
            } catch (IOException e) {
                serving.completeExceptionally(e);
            }
        }, "demo-stderr");
        errReader.start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            serving.get(120, TimeUnit.SECONDS);
            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            p.toHandle().destroy();
            // Stopping takes well under a second here; the shutdown hook once waited out its whole
            // 15 s bound after every signal.
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the demo ends within 10 s of SIGTERM").isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
            JsonNode summary = new ObjectMapper().readTree(stdout.get(10, TimeUnit.SECONDS));
            assertThat(summary.path("unexpected_failures").asLong()).as(stderr.toString()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private CliProcess.Result runDemo(String backend) throws Exception {
        CliProcess.Result r = CliProcess.launcher("multislot", home).run("demo", "--duration", "10s", "--concurrency", "16",
                "--json", "--backend", backend);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(r.stdout());

        assertThat(summary.path("unexpected_failures").asLong()).as(r.stderr()).isZero();
        List<String> slots = summary.path("slots").findValuesAsText("cluster_id");
        assertThat(slots).containsExactlyInAnyOrder("cluster-alpha01", "cluster-bravo02", "cluster-charlie3");
        for (JsonNode slot : summary.path("slots")) {
            assertThat(slot.path("requests").asLong()).as(slot.toString()).isPositive();
        }

        List<String> seen = new ArrayList<>();
        for (JsonNode e : summary.path("events")) {
            seen.add(e.path("type").asText() + " " + e.path("cluster_id").asText()
                    + (e.has("to") ? " " + e.path("to").asText() : ""));
        }
        assertThat(seen).as(r.stderr()).contains(
                "slot_added cluster-charlie3",     // hot reload: added by add-cluster while running
                "hsm_down cluster-alpha01",        // the killed HSM ...
                "breaker_state_changed cluster-alpha01 OPEN",   // ... its breaker opens
                "hsm_up cluster-alpha01",          // back again ...
                "breaker_state_changed cluster-alpha01 CLOSED", // ... probes close the breaker
                "slot_draining cluster-bravo02",   // remove-cluster: drains ...
                "slot_removed cluster-bravo02");   // ... and disappears
        assertThat(r.stderr()).contains("add-cluster", "remove-cluster", "req/s", "p99");
        return r;
    }
}
