package dev.multislot.cli.soak;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The soak's figures, as JSON fields (snake_case) and as a table for people. */
record SoakReport(double durationSeconds, long seed, long requests, long succeeded, long lost, long doubled,
                  long unexpectedFailures, long expectedFailures, Chaos chaos, ProcessSample start, ProcessSample end,
                  List<String> unexpectedSamples) {

    boolean ok() {
        return lost == 0 && doubled == 0 && unexpectedFailures == 0;
    }

    double rssGrowthRatio() {
        return start.rssBytes() > 0 && end.rssBytes() > 0 ? (double) end.rssBytes() / start.rssBytes() : -1;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", ok());
        m.put("duration_s", Math.round(durationSeconds * 10) / 10.0);
        m.put("seed", seed);
        m.put("requests", requests);
        m.put("succeeded", succeeded);
        m.put("lost", lost);
        m.put("doubled", doubled);
        m.put("unexpected_failures", unexpectedFailures);
        m.put("expected_failures", expectedFailures);
        m.put("hsm_restarts", chaos.hsmRestarts.get());
        m.put("config_changes", chaos.configChanges.get());
        m.put("stalls", chaos.stalls.get());
        m.put("slowdowns", chaos.slowdowns.get());
        m.put("resets", chaos.resets.get());
        m.put("half_closes", chaos.halfCloses.get());
        m.put("clusters_added", chaos.clustersAdded.get());
        m.put("clusters_removed", chaos.clustersRemoved.get());
        m.put("rss_mb_start", round(start.rssMegabytes()));
        m.put("rss_mb_end", round(end.rssMegabytes()));
        m.put("heap_used_mb_start", round(start.heapUsedMegabytes()));
        m.put("heap_used_mb_end", round(end.heapUsedMegabytes()));
        m.put("threads_start", start.threads());
        m.put("threads_end", end.threads());
        m.put("fds_start", start.fds());
        m.put("fds_end", end.fds());
        m.put("rss_growth_ratio", Math.round(rssGrowthRatio() * 1000) / 1000.0);
        m.put("fd_growth", end.fds() - start.fds());
        m.put("thread_growth", end.threads() - start.threads());
        m.put("unexpected_samples", unexpectedSamples);
        return m;
    }

    String table() {
        StringBuilder sb = new StringBuilder("== soak summary\n");
        toJson().forEach((k, v) -> {
            if (!k.equals("unexpected_samples")) {
                sb.append(String.format("  %-20s %s%n", k, v));
            }
        });
        unexpectedSamples.forEach(s -> sb.append("  unexpected: ").append(s).append('\n'));
        sb.append(ok() ? "  OK: every request ended exactly once, none failed unexpectedly\n"
                : "  FAILED: lost, doubled or unexpected failures above\n");
        return sb.toString();
    }

    private static double round(double mb) {
        return Math.round(mb * 10) / 10.0;
    }
}
