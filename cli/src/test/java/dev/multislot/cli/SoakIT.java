package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/multislot soak --duration 60s --json} as a real subprocess: under a minute of killed
 * HSMs, stalls, resets, half-closes, config edits and clusters coming and going, no request is
 * lost, doubled or failed unexpectedly, and threads, file descriptors and memory do not run away.
 */
class SoakIT {

    @TempDir
    Path home;

    @Test
    void aMinuteOfTroubleLosesNoRequestAndLeaksNothing() throws Exception {
        CliProcess.Result r = CliProcess.launcher("multislot", home)
                .run(Duration.ofMinutes(5), "soak", "--duration", "60s", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode s = new ObjectMapper().readTree(r.stdout());

        assertThat(s.path("ok").asBoolean()).as(r.stderr()).isTrue();
        assertThat(s.path("requests").asLong()).isPositive();
        assertThat(s.path("succeeded").asLong()).isPositive();
        assertThat(s.path("lost").asLong()).as("requests that never ended").isZero();
        assertThat(s.path("doubled").asLong()).as("requests that ended twice").isZero();
        assertThat(s.path("unexpected_failures").asLong()).as(s.path("unexpected_samples").toString()).isZero();
        // The trouble did happen.
        assertThat(s.path("hsm_restarts").asLong()).as(r.stderr()).isPositive();
        assertThat(s.path("stalls").asLong()).isPositive();
        assertThat(s.path("resets").asLong()).isPositive();
        assertThat(s.path("config_changes").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(s.path("clusters_removed").asLong()).isPositive();
        assertThat(s.path("clusters_added").asLong()).isGreaterThan(3);
        // Nothing runs away: bounds far above the noise of a loaded machine, far below a leak per event.
        assertThat(s.path("thread_growth").asInt()).as("threads").isLessThan(20);
        assertThat(s.path("fd_growth").asInt()).as("file descriptors").isLessThan(100);
        assertThat(s.path("rss_growth_ratio").asDouble()).as("resident memory").isBetween(0.1, 3.0);
        for (String field : new String[] {"rss_mb_start", "rss_mb_end", "threads_start", "threads_end", "fds_start", "fds_end"}) {
            assertThat(s.path(field).asDouble()).as(field).isPositive();
        }
    }
}
