package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
