package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The benchmark suite's results side by side: for each scenario (operation, harness, point of the
 * matrix) the connector's, the floor's and the blocking client's figures over their trials, their
 * ratios, the hot-reload and discovery fan-out figures, the run's method, and each target with
 * whether it was met ({@link Targets}). Read from JMH's JSON result files ({@code jmh-*.json}),
 * the latency files and {@code method.json} of one output directory; written by
 * {@link SummaryJson}.
 */
public final class Summary {

    /**
     * Clients as named in the summary, in column order. {@code connector_metered} is the connector
     * with its meters on a registry (ConnectorBenchmark's {@code metrics=on}), run at some points
     * only, to show what recording costs.
     */
    static final List<String> CLIENTS = List.of("connector", "floor", "blocking", "connector_metered");
    static final String METERED = "connector_metered";
    private static final String METERED_KEY = "@metrics=on";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<Scenario> scenarios;
    final JsonNode method;
    final Double reloadP50Ms;
    final Double reloadP99Ms;
    final Integer reloadCount;
    final Double fanout1Ms;
    final Double fanout100Ms;
    final Map<String, String> notes = new LinkedHashMap<>();

    private Summary(List<Scenario> scenarios, JsonNode method, Double reloadP50Ms, Double reloadP99Ms,
            Integer reloadCount, Double fanout1Ms, Double fanout100Ms) {
        this.scenarios = scenarios;
        this.method = method;
        this.reloadP50Ms = reloadP50Ms;
        this.reloadP99Ms = reloadP99Ms;
        this.reloadCount = reloadCount;
        this.fanout1Ms = fanout1Ms;
        this.fanout100Ms = fanout100Ms;
    }

    /**
     * One client's figures in one scenario, each over its trials; any may be missing (null) if
     * that run failed or the client does not report it.
     *
     * @param requestsPerFlush null when not measured; a negative mean when the client has no counter
     * @param drift see {@link JmhRecord#drift()}
     */
    record ClientFigures(Trials ops, Trials allocBytesPerOp, Double p50Us, Double p99Us, Double p999Us,
                         Trials clientCpuUsPerOp, Trials serverCpuUsPerOp, Trials requestsPerFlush, Double drift) {

        ClientFigures plus(ClientFigures o) {
            return new ClientFigures(join(ops, o.ops), join(allocBytesPerOp, o.allocBytesPerOp), p50Us, p99Us, p999Us,
                    join(clientCpuUsPerOp, o.clientCpuUsPerOp), join(serverCpuUsPerOp, o.serverCpuUsPerOp),
                    join(requestsPerFlush, o.requestsPerFlush),
                    drift == null ? o.drift : o.drift == null ? drift : Math.max(drift, o.drift));
        }

        ClientFigures withLatency(Double p50, Double p99, Double p999) {
            return new ClientFigures(ops, allocBytesPerOp, p50, p99, p999, clientCpuUsPerOp, serverCpuUsPerOp,
                    requestsPerFlush, drift);
        }

        private static Trials join(Trials a, Trials b) {
            return a == null ? b : b == null ? a : a.plus(b);
        }
    }

    /** One point of the matrix in one harness. */
    record Scenario(String op, String harness, int inFlight, int hsms, int slots, Map<String, ClientFigures> clients) {

        String name() {
            return op + "/" + harness + "/inflight=" + inFlight + "/hsms=" + hsms + "/slots=" + slots;
        }

        int connections() {
            return hsms * slots;
        }

        Optional<ClientFigures> client(String c) {
            return Optional.ofNullable(clients.get(c));
        }

        /** The mean over trials of one figure of one client; null if missing. */
        Double mean(String c, Function<ClientFigures, Trials> f) {
            Trials t = client(c).map(f).orElse(null);
            return t == null ? null : t.mean();
        }

        Double latency(String c, Function<ClientFigures, Double> f) {
            return client(c).map(f).orElse(null);
        }

        /** Client {@code a}'s mean over {@code b}'s for one figure. */
        Double ratio(String a, String b, Function<ClientFigures, Trials> f) {
            return divide(mean(a, f), mean(b, f));
        }

        /** Client {@code a}'s mean minus {@code b}'s for one figure; null if either is missing. */
        Double difference(String a, String b, Function<ClientFigures, Trials> f) {
            Double x = mean(a, f);
            Double y = mean(b, f);
            return x == null || y == null ? null : x - y;
        }

        /** The lowest and highest ratio any pair of trials gives: [min a / max b, max a / min b]. */
        double[] ratioRange(String a, String b, Function<ClientFigures, Trials> f) {
            Trials ta = client(a).map(f).orElse(null);
            Trials tb = client(b).map(f).orElse(null);
            if (ta == null || tb == null || tb.min() <= 0) {
                return null;
            }
            return new double[] {ta.min() / tb.max(), ta.max() / tb.min()};
        }

        /** Requests per flush of a client; null when missing or the client has no counter. */
        Double requestsPerFlush(String c) {
            Double v = mean(c, ClientFigures::requestsPerFlush);
            return v == null || v < 0 ? null : v;
        }

        boolean requestsPerFlushUnavailable(String c) {
            Double v = mean(c, ClientFigures::requestsPerFlush);
            return v != null && v < 0;
        }
    }

    /**
     * Reads every {@code jmh-*.json} of {@code outDir}, the latency files under
     * {@code outDir/bench/latency} and {@code outDir/method.json}. Missing files give missing
     * figures, not errors.
     */
    public static Summary read(Path outDir) {
        Map<String, List<Map<String, Double>>> latency = readLatency(outDir.resolve("bench").resolve("latency"));
        Map<String, Scenario> scenarios = new TreeMap<>();
        Map<String, ClientFigures> blocking = new HashMap<>();
        Double reloadP50 = null;
        Double reloadP99 = null;
        Integer reloadCount = null;
        Double fanout1 = null;
        Double fanout100 = null;
        for (JsonNode node : readResults(outDir)) {
            JmhRecord r = new JmhRecord(node);
            JsonNode primary = r.primary();
            String unit = primary.path("scoreUnit").asText();
            if (r.className.equals("ReloadBenchmark")) {
                reloadP50 = toMillis(primary.path("scorePercentiles").path("50.0"), unit);
                reloadP99 = toMillis(primary.path("scorePercentiles").path("99.0"), unit);
                reloadCount = r.measurementIterations() * r.forks();
                continue;
            }
            if (r.className.equals("FanoutBenchmark")) {
                Double ms = toMillis(primary.path("score"), unit);
                String clusters = r.params().path("clusters").asText();
                if ("1".equals(clusters)) {
                    fanout1 = ms;
                } else if ("100".equals(clusters)) {
                    fanout100 = ms;
                }
                continue;
            }
            String client = switch (r.className) {
                case "ConnectorBenchmark" -> "on".equals(r.params().path("metrics").asText()) ? METERED : "connector";
                case "FloorBenchmark" -> "floor";
                case "BlockingBenchmark" -> "blocking";
                default -> null;
            };
            if (client == null) {
                continue;
            }
            String op = r.method.startsWith("random") ? "random" : r.method;
            String harness = r.method.endsWith("Window") ? Harness.WINDOW.label() : Harness.FLATMAP.label();
            int inFlight = r.param("inFlight");
            int hsms = r.param("hsms");
            int slots = r.param("slots");
            ClientFigures f = new ClientFigures(r.primaryTrials(), r.secondaryTrials("gc.alloc.rate.norm"), null, null,
                    null, r.secondaryTrials("clientCpuMicrosPerOp"), r.secondaryTrials("serverCpuMicrosPerOp"),
                    r.secondaryTrials("requestsPerFlush"), r.drift());
            String point = String.format(Locale.ROOT, "%s/%04d/%02d/%02d", op, inFlight, hsms, slots);
            if (client.equals("blocking")) {
                // Thread per request has no harness: its figures stand beside both of the point's.
                blocking.merge(point, f, ClientFigures::plus);
                continue;
            }
            Scenario s = scenarios.computeIfAbsent(point + "/" + harness,
                    k -> new Scenario(op, harness, inFlight, hsms, slots, new HashMap<>()));
            s.clients().merge(client, f, ClientFigures::plus);
        }
        blocking.forEach((point, f) -> {
            String[] p = point.split("/");
            List<Scenario> at = scenarios.entrySet().stream().filter(e -> e.getKey().startsWith(point + "/"))
                    .map(Map.Entry::getValue).toList();
            if (at.isEmpty()) {
                Scenario s = new Scenario(p[0], Harness.FLATMAP.label(), Integer.parseInt(p[1]),
                        Integer.parseInt(p[2]), Integer.parseInt(p[3]), new HashMap<>());
                scenarios.put(point + "/" + s.harness(), s);
                at = List.of(s);
            }
            at.forEach(s -> s.clients().put("blocking", f));
        });
        for (Scenario s : scenarios.values()) {
            s.clients().replaceAll((client, f) -> {
                String base = client.equals(METERED) ? "connector" : client;
                String cls = Character.toUpperCase(base.charAt(0)) + base.substring(1) + "Benchmark";
                String method = client.equals("blocking") || s.harness().equals(Harness.FLATMAP.label())
                        ? s.op() : s.op() + "Window";
                List<Map<String, Double>> lat = latency.getOrDefault(latencyKey(cls + "." + method
                        + (client.equals(METERED) ? METERED_KEY : ""), s.inFlight(), s.hsms(), s.slots()), List.of());
                return f.withLatency(meanOf(lat, "p50_us"), meanOf(lat, "p99_us"), meanOf(lat, "p999_us"));
            });
        }
        return new Summary(new ArrayList<>(scenarios.values()), RunMethod.read(outDir), reloadP50, reloadP99,
                reloadCount, fanout1, fanout100);
    }

    /**
     * Adds a note for {@code field}, shown in summary.json's {@code notes} if some scenario's
     * connector reports its requests per flush as unavailable.
     */
    public Summary withNote(String field, String note) {
        boolean unavailable = scenarios.stream().anyMatch(s -> s.requestsPerFlushUnavailable("connector"));
        if (unavailable) {
            notes.put(field, note);
        }
        return this;
    }

    private static Double meanOf(List<Map<String, Double>> trials, String key) {
        Trials t = Trials.of(trials.stream().map(m -> m.get(key)).toList());
        return t == null ? null : t.mean();
    }

    private static List<JsonNode> readResults(Path outDir) {
        List<JsonNode> all = new ArrayList<>();
        if (!Files.isDirectory(outDir)) {
            return all;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(outDir)) {
            files = s.filter(p -> p.getFileName().toString().matches("jmh-.*\\.json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + outDir, e);
        }
        for (Path f : files) {
            try {
                JSON.readTree(f.toFile()).forEach(all::add);
            } catch (IOException e) {
                System.err.println("summary: skipping unreadable " + f + ": " + e.getMessage());
            }
        }
        return all;
    }

    /** Each latency file's percentiles, grouped by benchmark and point (one file per trial). */
    private static Map<String, List<Map<String, Double>>> readLatency(Path dir) {
        Map<String, List<Map<String, Double>>> byKey = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return byKey;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                String b = n.path("benchmark").asText();
                String simple = b.substring(b.lastIndexOf('.', b.lastIndexOf('.') - 1) + 1);
                JsonNode p = n.path("params");
                Map<String, Double> figures = new HashMap<>();
                for (String k : List.of("p50_us", "p99_us", "p999_us")) {
                    figures.put(k, JmhRecord.number(n.path(k)));
                }
                String metered = "on".equals(p.path("metrics").asText()) ? METERED_KEY : "";
                byKey.computeIfAbsent(latencyKey(simple + metered, p.path("inFlight").asInt(), p.path("hsms").asInt(),
                        p.path("slots").asInt()), k -> new ArrayList<>()).add(figures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latency files in " + dir, e);
        }
        return byKey;
    }

    private static String latencyKey(String benchmark, int inFlight, int hsms, int slots) {
        return benchmark + "/" + inFlight + "/" + hsms + "/" + slots;
    }

    private static Double toMillis(JsonNode value, String unit) {
        Double v = JmhRecord.number(value);
        if (v == null) {
            return null;
        }
        return switch (unit) {
            case "s/op" -> v * 1000;
            case "ms/op" -> v;
            case "us/op" -> v / 1000;
            case "ns/op" -> v / 1_000_000;
            default -> null;
        };
    }

    static Double divide(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    Double fanoutRatio() {
        return divide(fanout100Ms, fanout1Ms);
    }

    /** Whether the run that produced these results pinned client and server to disjoint CPUs. */
    boolean pinned() {
        return method != null && method.path("pinned").asBoolean(false);
    }

    /** The scenarios, in op, in-flight, HSMs, slots, harness order. */
    List<Scenario> scenarios() {
        return scenarios;
    }

    /** The summary as a plain-text table, one line per scenario, then the reload, fan-out and target lines. */
    public String table() {
        StringBuilder b = new StringBuilder();
        String row = "%-42s %10s %10s %10s %11s %7s %10s %21s %19s %11s%n";
        b.append(String.format(Locale.ROOT, row, "scenario", "connector/s", "floor/s", "blocking/s",
                "c/floor", "c/block", "B/op c(f)", "p99 ms c / f / blk", "client us/op c/f/b", "req/flush"));
        for (Scenario s : scenarios) {
            b.append(String.format(Locale.ROOT, row, s.name(),
                    fmt(s.mean("connector", ClientFigures::ops), "%.0f"),
                    fmt(s.mean("floor", ClientFigures::ops), "%.0f"),
                    fmt(s.mean("blocking", ClientFigures::ops), "%.0f"),
                    fmt(s.ratio("connector", "floor", ClientFigures::ops), "%.2f"),
                    fmt(s.ratio("connector", "blocking", ClientFigures::ops), "%.1f"),
                    fmt(s.mean("connector", ClientFigures::allocBytesPerOp), "%.0f") + "("
                            + fmt(s.mean("floor", ClientFigures::allocBytesPerOp), "%.0f") + ")",
                    fmt(ms(s.latency("connector", ClientFigures::p99Us)), "%.2f") + " / "
                            + fmt(ms(s.latency("floor", ClientFigures::p99Us)), "%.2f") + " / "
                            + fmt(ms(s.latency("blocking", ClientFigures::p99Us)), "%.2f"),
                    fmt(s.mean("connector", ClientFigures::clientCpuUsPerOp), "%.2f") + "/"
                            + fmt(s.mean("floor", ClientFigures::clientCpuUsPerOp), "%.2f") + "/"
                            + fmt(s.mean("blocking", ClientFigures::clientCpuUsPerOp), "%.1f"),
                    fmt(s.requestsPerFlush("connector"), "%.1f") + "/" + fmt(s.requestsPerFlush("floor"), "%.1f")));
        }
        for (Scenario s : scenarios) {
            if (s.client(METERED).isPresent()) {
                b.append(String.format(Locale.ROOT,
                        "metrics on vs off, %s: throughput %s x, client CPU %s x, %s B/op more, p99 %s vs %s ms%n",
                        s.name(), fmt(s.ratio(METERED, "connector", ClientFigures::ops), "%.3f"),
                        fmt(s.ratio(METERED, "connector", ClientFigures::clientCpuUsPerOp), "%.3f"),
                        fmt(s.difference(METERED, "connector", ClientFigures::allocBytesPerOp), "%.0f"),
                        fmt(ms(s.latency(METERED, ClientFigures::p99Us)), "%.2f"),
                        fmt(ms(s.latency("connector", ClientFigures::p99Us)), "%.2f")));
            }
        }
        b.append(String.format(Locale.ROOT, "%nhot reload (config write -> new slot serves): p50 %s ms, p99 %s ms%s%n",
                fmt(reloadP50Ms, "%.1f"), fmt(reloadP99Ms, "%.1f"),
                reloadCount == null ? "" : " over " + reloadCount + " reloads"));
        b.append(String.format(Locale.ROOT, "discovery fan-out: 1 cluster %s ms, 100 clusters %s ms, ratio %s%n",
                fmt(fanout1Ms, "%.1f"), fmt(fanout100Ms, "%.1f"), fmt(fanoutRatio(), "%.2f")));
        if (method != null) {
            b.append(String.format(Locale.ROOT, "%nmethod: %s%n", method));
        }
        notes.forEach((k, v) -> b.append(String.format(Locale.ROOT, "note (%s): %s%n", k, v)));
        b.append(String.format(Locale.ROOT, "%ntargets (reported, not asserted):%n"));
        for (Targets.Target t : Targets.of(this)) {
            String verdict = t.met() == null ? "n/a " : t.met() ? "MET " : "MISS";
            b.append(String.format(Locale.ROOT, "  [%s] %-95s %s%n", verdict, t.name(), t.measured()));
        }
        return b.toString();
    }

    private static Double ms(Double micros) {
        return micros == null ? null : micros / 1000;
    }

    static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }
}
