package dev.multislot.cli.demo;

import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's closing figures: per slot, per HSM, and every event, as a table and as JSON. */
record Summary(List<Map<String, Object>> slots, List<Map<String, Object>> hsms, List<Map<String, Object>> events,
               long unexpectedFailures, Duration elapsed) {

    static Summary of(Workload workload, List<LocalCluster> clusters, EventLog log, Duration elapsed) {
        List<Map<String, Object>> slots = new ArrayList<>();
        long unexpected = 0;
        for (SlotMetrics m : workload.metrics().values().stream()
                .sorted(Comparator.comparing(m -> m.clusterId().value())).toList()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("cluster_id", m.clusterId().value());
            s.put("requests", m.requests());
            s.put("failures", m.failures());
            s.put("unexpected_failures", m.unexpectedFailures());
            s.put("p50_ms", round(m.totalPercentileMillis(50)));
            s.put("p99_ms", round(m.totalPercentileMillis(99)));
            slots.add(s);
            unexpected += m.unexpectedFailures();
        }
        List<Map<String, Object>> events = log.all();
        List<Map<String, Object>> hsms = new ArrayList<>();
        for (LocalCluster c : clusters) {
            for (LocalHsm h : c.hsms()) {
                String address = h.host() + ":" + h.port();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cluster_id", c.clusterId());
                row.put("hsm", address);
                row.put("requests_served", h.stats().requestsServed());
                row.put("breaker_transitions", events.stream()
                        .filter(e -> "breaker_state_changed".equals(e.get("type")) && address.equals(e.get("hsm")))
                        .map(e -> e.get("from") + "->" + e.get("to")).toList());
                hsms.add(row);
            }
        }
        return new Summary(slots, hsms, events, unexpected, elapsed);
    }

    Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("duration_ms", elapsed.toMillis());
        root.put("slots", slots);
        root.put("hsms", hsms);
        root.put("events", events);
        root.put("unexpected_failures", unexpectedFailures);
        return root;
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-18s %10s %9s %11s %9s %9s%n", "SLOT", "REQUESTS", "FAILURES", "UNEXPECTED", "P50 MS", "P99 MS"));
        for (Map<String, Object> s : slots) {
            sb.append(String.format("%-18s %10d %9d %11d %9.2f %9.2f%n", s.get("cluster_id"), s.get("requests"),
                    s.get("failures"), s.get("unexpected_failures"), s.get("p50_ms"), s.get("p99_ms")));
        }
        sb.append(String.format("%n%-18s %-18s %16s  %s%n", "CLUSTER", "HSM", "REQUESTS SERVED", "BREAKER TRANSITIONS"));
        for (Map<String, Object> h : hsms) {
            @SuppressWarnings("unchecked")
            List<String> transitions = (List<String>) h.get("breaker_transitions");
            sb.append(String.format("%-18s %-18s %16d  %s%n", h.get("cluster_id"), h.get("hsm"), h.get("requests_served"),
                    transitions.isEmpty() ? "-" : String.join(", ", transitions)));
        }
        sb.append(String.format("%n%d events, %d unexpected failures in %.1f s: %s%n", events.size(), unexpectedFailures,
                elapsed.toMillis() / 1000.0, unexpectedFailures == 0 ? "OK" : "FAILED"));
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
