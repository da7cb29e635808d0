package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.bench.internal.Summary.ClientFigures;
import dev.multislot.bench.internal.Summary.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code summary.json}: the run's method, one object per scenario (docs/benchmarks.md lists the
 * fields), the reload and fan-out figures, notes on figures that are null for a known reason,
 * and the targets. Means are over trials; {@code *_trials} arrays hold each trial's value and
 * {@code *_range} the lowest and highest ratio a pair of trials gives.
 */
public final class SummaryJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SummaryJson() {
    }

    /** Writes {@code summary} to {@code file}. */
    public static void write(Summary summary, Path file) {
        ObjectNode root = JSON.createObjectNode();
        if (summary.method != null) {
            root.set("method", summary.method);
        } else {
            root.putNull("method");
        }
        ArrayNode arr = root.putArray("scenarios");
        for (Scenario s : summary.scenarios()) {
            scenario(arr.addObject(), s);
        }
        put(root, "reload_p50_ms", summary.reloadP50Ms);
        put(root, "reload_p99_ms", summary.reloadP99Ms);
        if (summary.reloadCount != null) {
            root.put("reload_count", summary.reloadCount);
        }
        put(root, "fanout_1_ms", summary.fanout1Ms);
        put(root, "fanout_100_ms", summary.fanout100Ms);
        put(root, "fanout_100_over_1", summary.fanoutRatio());
        ObjectNode notes = root.putObject("notes");
        summary.notes.forEach(notes::put);
        ArrayNode targets = root.putArray("targets");
        for (Targets.Target t : Targets.of(summary)) {
            ObjectNode n = targets.addObject();
            n.put("target", t.name());
            n.put("measured", t.measured());
            put(n, "figure", t.figure());
            if (t.scenario() == null) {
                n.putNull("scenario");
            } else {
                n.put("scenario", t.scenario());
            }
            if (t.met() == null) {
                n.putNull("met");
            } else {
                n.put("met", t.met());
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void scenario(ObjectNode n, Scenario s) {
        n.put("name", s.name());
        n.put("op", s.op());
        n.put("harness", s.harness());
        n.put("in_flight", s.inFlight());
        n.put("hsms", s.hsms());
        n.put("slots", s.slots());
        n.put("connections", s.connections());
        // The fewest trials any client of the scenario has: below the plan's, a trial failed.
        n.put("trials", Summary.CLIENTS.stream().map(c -> s.client(c).map(ClientFigures::ops).orElse(null))
                .filter(t -> t != null).mapToInt(Trials::count).min().orElse(0));
        put(n, "connector_ops", s.mean("connector", ClientFigures::ops));
        put(n, "floor_ops", s.mean("floor", ClientFigures::ops));
        put(n, "blocking_ops", s.mean("blocking", ClientFigures::ops));
        put(n, "connector_over_floor", s.ratio("connector", "floor", ClientFigures::ops));
        range(n, "connector_over_floor_range", s.ratioRange("connector", "floor", ClientFigures::ops));
        put(n, "connector_over_blocking", s.ratio("connector", "blocking", ClientFigures::ops));
        range(n, "connector_over_blocking_range", s.ratioRange("connector", "blocking", ClientFigures::ops));
        Double cAlloc = s.mean("connector", ClientFigures::allocBytesPerOp);
        Double fAlloc = s.mean("floor", ClientFigures::allocBytesPerOp);
        put(n, "alloc_bytes_per_op", cAlloc);
        put(n, "alloc_over_floor_bytes_per_op", cAlloc == null || fAlloc == null ? null : cAlloc - fAlloc);
        put(n, "connector_over_floor_client_cpu", s.ratio("connector", "floor", ClientFigures::clientCpuUsPerOp));
        range(n, "connector_over_floor_client_cpu_range",
                s.ratioRange("connector", "floor", ClientFigures::clientCpuUsPerOp));
        put(n, "connector_requests_per_flush", s.requestsPerFlush("connector"));
        put(n, "floor_requests_per_flush", s.requestsPerFlush("floor"));
        put(n, "metered_over_unmetered", s.ratio(Summary.METERED, "connector", ClientFigures::ops));
        put(n, "metered_over_unmetered_client_cpu",
                s.ratio(Summary.METERED, "connector", ClientFigures::clientCpuUsPerOp));
        put(n, "metered_alloc_over_unmetered_bytes_per_op",
                s.difference(Summary.METERED, "connector", ClientFigures::allocBytesPerOp));
        for (String c : Summary.CLIENTS) {
            if (!c.equals("connector")) {
                put(n, c + "_alloc_bytes_per_op", s.mean(c, ClientFigures::allocBytesPerOp));
            }
            if (c.equals(Summary.METERED)) {
                put(n, c + "_ops", s.mean(c, ClientFigures::ops));
            }
            put(n, c + "_p50_us", s.latency(c, ClientFigures::p50Us));
            put(n, c + "_p99_us", s.latency(c, ClientFigures::p99Us));
            put(n, c + "_p999_us", s.latency(c, ClientFigures::p999Us));
            put(n, c + "_client_cpu_us_per_op", s.mean(c, ClientFigures::clientCpuUsPerOp));
            put(n, c + "_server_cpu_us_per_op", s.mean(c, ClientFigures::serverCpuUsPerOp));
            trials(n, c + "_ops_trials", s, c, ClientFigures::ops);
            put(n, c + "_iteration_drift", s.latency(c, ClientFigures::drift));
        }
    }

    private static void trials(ObjectNode n, String field, Scenario s, String client, Function<ClientFigures, Trials> f) {
        Trials t = s.client(client).map(f).orElse(null);
        if (t == null) {
            n.putNull(field);
            return;
        }
        ArrayNode a = n.putArray(field);
        t.values().forEach(v -> a.add(round(v)));
    }

    private static void range(ObjectNode n, String field, double[] r) {
        if (r == null) {
            n.putNull(field);
        } else {
            n.putArray(field).add(round(r[0])).add(round(r[1]));
        }
    }

    private static void put(ObjectNode n, String field, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            n.putNull(field);
        } else {
            n.put(field, round(v));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
