package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The benchmark suite's results side by side: for each scenario the connector's, the floor's and
 * the blocking client's throughput, their ratios, allocation per request and latency percentiles;
 * the hot-reload and discovery fan-out figures; and each target with whether it was met. Read
 * from JMH's JSON result files ({@code jmh-*.json}) and the latency files of one output directory.
 */
public final class Summary {

    /** Clients as named in the summary, in column order. */
    static final List<String> CLIENTS = List.of("connector", "floor", "blocking");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Scenario> scenarios;
    private final Double reloadP50Ms;
    private final Double reloadP99Ms;
    private final Integer reloadCount;
    private final Double fanout1Ms;
    private final Double fanout100Ms;

    private Summary(List<Scenario> scenarios, Double reloadP50Ms, Double reloadP99Ms, Integer reloadCount,
            Double fanout1Ms, Double fanout100Ms) {
        this.scenarios = scenarios;
        this.reloadP50Ms = reloadP50Ms;
        this.reloadP99Ms = reloadP99Ms;
        this.reloadCount = reloadCount;
        this.fanout1Ms = fanout1Ms;
        this.fanout100Ms = fanout100Ms;
    }

    /** One client's figures in one scenario; any may be missing (null) if that run failed. */
    record ClientFigures(Double opsPerSecond, Double allocBytesPerOp, Double p50Us, Double p99Us, Double p999Us,
                         Double clientCpuUsPerOp, Double serverCpuUsPerOp) {
    }

    /** One point of the matrix. */
    record Scenario(String op, int inFlight, int hsms, int slots, Map<String, ClientFigures> clients) {

        String name() {
            return op + "/inflight=" + inFlight + "/hsms=" + hsms + "/slots=" + slots;
        }

        Optional<ClientFigures> client(String c) {
            return Optional.ofNullable(clients.get(c));
        }

        Double figure(String c, Function<ClientFigures, Double> f) {
            return client(c).map(f).orElse(null);
        }

        Double ratio(String a, String b) {
            return divide(figure(a, ClientFigures::opsPerSecond), figure(b, ClientFigures::opsPerSecond));
        }
    }

    /** A target from docs/benchmarks.md and what this run measured for it. */
    record Target(String name, String measured, Boolean met) {
    }

    /**
     * Reads every {@code jmh-*.json} of {@code outDir} and the latency files under
     * {@code outDir/bench/latency}. Missing files give missing figures, not errors.
     */
    public static Summary read(Path outDir) {
        Map<String, Map<String, Double>> latency = readLatency(outDir.resolve("bench").resolve("latency"));
        Map<String, Scenario> scenarios = new TreeMap<>();
        Double reloadP50 = null;
        Double reloadP99 = null;
        Integer reloadCount = null;
        Double fanout1 = null;
        Double fanout100 = null;
        for (JsonNode r : readResults(outDir)) {
            String benchmark = r.path("benchmark").asText();
            String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String cls = simple.substring(0, simple.indexOf('.'));
            String method = simple.substring(simple.indexOf('.') + 1);
            JsonNode params = r.path("params");
            JsonNode primary = r.path("primaryMetric");
            if (cls.equals("ReloadBenchmark")) {
                reloadP50 = toMillis(primary.path("scorePercentiles").path("50.0"), primary.path("scoreUnit").asText());
                reloadP99 = toMillis(primary.path("scorePercentiles").path("99.0"), primary.path("scoreUnit").asText());
                reloadCount = r.path("measurementIterations").asInt() * Math.max(1, r.path("forks").asInt());
                continue;
            }
            if (cls.equals("FanoutBenchmark")) {
                Double ms = toMillis(primary.path("score"), primary.path("scoreUnit").asText());
                if ("1".equals(params.path("clusters").asText())) {
                    fanout1 = ms;
                } else if ("100".equals(params.path("clusters").asText())) {
                    fanout100 = ms;
                }
                continue;
            }
            String client = switch (cls) {
                case "ConnectorBenchmark" -> "connector";
                case "FloorBenchmark" -> "floor";
                case "BlockingBenchmark" -> "blocking";
                default -> null;
            };
            if (client == null) {
                continue;
            }
            int inFlight = params.path("inFlight").asInt();
            int hsms = params.path("hsms").asInt();
            int slots = params.path("slots").asInt();
            String key = String.format(Locale.ROOT, "%s/%04d/%02d/%02d", method, inFlight, hsms, slots);
            Scenario s = scenarios.computeIfAbsent(key, k -> new Scenario(method, inFlight, hsms, slots, new HashMap<>()));
            JsonNode norm = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
            Map<String, Double> lat = latency.getOrDefault(latencyKey(cls + "." + method, inFlight, hsms, slots), Map.of());
            JsonNode secondary = r.path("secondaryMetrics");
            s.clients().put(client, new ClientFigures(number(primary.path("score")), number(norm),
                    lat.get("p50_us"), lat.get("p99_us"), lat.get("p999_us"),
                    number(secondary.path("clientCpuMicrosPerOp").path("score")),
                    number(secondary.path("serverCpuMicrosPerOp").path("score"))));
        }
        return new Summary(new ArrayList<>(scenarios.values()), reloadP50, reloadP99, reloadCount, fanout1, fanout100);
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
                JsonNode root = JSON.readTree(f.toFile());
                root.forEach(all::add);
            } catch (IOException e) {
                System.err.println("summary: skipping unreadable " + f + ": " + e.getMessage());
            }
        }
        return all;
    }

    private static Map<String, Map<String, Double>> readLatency(Path dir) {
        Map<String, Map<String, Double>> byKey = new HashMap<>();
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
                    figures.put(k, number(n.path(k)));
                }
                byKey.put(latencyKey(simple, p.path("inFlight").asInt(), p.path("hsms").asInt(), p.path("slots").asInt()),
                        figures);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latency files in " + dir, e);
        }
        return byKey;
    }

    private static String latencyKey(String benchmark, int inFlight, int hsms, int slots) {
        return benchmark + "/" + inFlight + "/" + hsms + "/" + slots;
    }

    private static Double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            try {
                double d = Double.parseDouble(n.asText());
                return Double.isNaN(d) ? null : d;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Double toMillis(JsonNode value, String unit) {
        Double v = number(value);
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

    /** The scenarios, in op, in-flight, HSMs, slots order. */
    List<Scenario> scenarios() {
        return scenarios;
    }

    /** Each target of docs/benchmarks.md with this run's figure; {@code met} is null when not measured. */
    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        Optional<Scenario> cheap4 = find("random", 256, 1, 4);
        Double r1 = cheap4.map(s -> s.ratio("connector", "floor")).orElse(null);
        t.add(new Target("cheap op, 256 in flight, 4 connections: connector >= 0.9 x floor", fmtRatio(r1),
                r1 == null ? null : r1 >= 0.9));
        Optional<Scenario> cheap64 = find("random", 64, 1, 1);
        Double r2 = cheap64.map(s -> s.ratio("connector", "blocking")).orElse(null);
        t.add(new Target("cheap op, 64 concurrent callers: connector >= 10 x blocking", fmtRatio(r2),
                r2 == null ? null : r2 >= 10));
        List<Scenario> signs = scenarios.stream().filter(s -> s.op().equals("sign") && s.inFlight() >= 16).toList();
        Double worstSign = signs.stream().map(s -> s.ratio("connector", "floor")).filter(v -> v != null)
                .min(Double::compare).orElse(null);
        t.add(new Target("sign (16+ in flight, every scenario): connector >= 0.95 x floor", worstSign == null ? "not measured" : "worst " + fmtRatio(worstSign),
                worstSign == null ? null : worstSign >= 0.95));
        Double worstP99 = signs.stream()
                .map(s -> divide(s.figure("connector", ClientFigures::p99Us), s.figure("floor", ClientFigures::p99Us)))
                .filter(v -> v != null).max(Double::compare).orElse(null);
        t.add(new Target("sign (16+ in flight, every scenario): connector p99 <= 1.10 x floor p99",
                worstP99 == null ? "not measured" : "worst " + fmtRatio(worstP99), worstP99 == null ? null : worstP99 <= 1.10));
        // At 1-16 in flight each request pays a TLS record of its own (the floor too); the target
        // is about the pipelined case, where what remains is the client's own cost.
        Double worstAlloc = scenarios.stream().filter(s -> s.op().equals("random") && s.inFlight() >= 64)
                .map(s -> s.figure("connector", ClientFigures::allocBytesPerOp)).filter(v -> v != null)
                .max(Double::compare).orElse(null);
        t.add(new Target("cheap op, 64+ in flight: <= 1 KiB allocated per request on the client (worst scenario)",
                worstAlloc == null ? "not measured" : String.format(Locale.ROOT, "%.0f B", worstAlloc),
                worstAlloc == null ? null : worstAlloc <= 1024));
        t.add(new Target("hot reload p99 <= 250 ms",
                reloadP99Ms == null ? "not measured" : String.format(Locale.ROOT, "%.1f ms", reloadP99Ms),
                reloadP99Ms == null ? null : reloadP99Ms <= 250));
        Double fan = fanoutRatio();
        t.add(new Target("discovery of 100 clusters <= 2 x one cluster's", fmtRatio(fan), fan == null ? null : fan <= 2));
        return t;
    }

    private Double fanoutRatio() {
        return divide(fanout100Ms, fanout1Ms);
    }

    private Optional<Scenario> find(String op, int inFlight, int hsms, int slots) {
        return scenarios.stream()
                .filter(s -> s.op().equals(op) && s.inFlight() == inFlight && s.hsms() == hsms && s.slots() == slots)
                .findFirst();
    }

    private static String fmtRatio(Double r) {
        return r == null ? "not measured" : String.format(Locale.ROOT, "%.2f x", r);
    }

    /** The summary as a plain-text table, one line per scenario, then the reload, fan-out and target lines. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-34s %11s %11s %11s %8s %8s %8s %25s %22s%n", "scenario", "connector/s",
                "floor/s", "blocking/s", "c/floor", "c/block", "B/op(c)", "p99 ms (c / floor / blk)",
                "client us/op (c/f/b)"));
        for (Scenario s : scenarios) {
            b.append(String.format(Locale.ROOT, "%-34s %11s %11s %11s %8s %8s %8s %25s %22s%n", s.name(),
                    fmt(s.figure("connector", ClientFigures::opsPerSecond), "%.0f"),
                    fmt(s.figure("floor", ClientFigures::opsPerSecond), "%.0f"),
                    fmt(s.figure("blocking", ClientFigures::opsPerSecond), "%.0f"),
                    fmt(s.ratio("connector", "floor"), "%.2f"),
                    fmt(s.ratio("connector", "blocking"), "%.2f"),
                    fmt(s.figure("connector", ClientFigures::allocBytesPerOp), "%.0f"),
                    fmt(ms(s.figure("connector", ClientFigures::p99Us)), "%.2f") + " / "
                            + fmt(ms(s.figure("floor", ClientFigures::p99Us)), "%.2f") + " / "
                            + fmt(ms(s.figure("blocking", ClientFigures::p99Us)), "%.2f"),
                    fmt(s.figure("connector", ClientFigures::clientCpuUsPerOp), "%.1f") + " / "
                            + fmt(s.figure("floor", ClientFigures::clientCpuUsPerOp), "%.1f") + " / "
                            + fmt(s.figure("blocking", ClientFigures::clientCpuUsPerOp), "%.1f")));
        }
        b.append(String.format(Locale.ROOT, "%nhot reload (config write -> new slot serves): p50 %s ms, p99 %s ms%s%n",
                fmt(reloadP50Ms, "%.1f"), fmt(reloadP99Ms, "%.1f"),
                reloadCount == null ? "" : " over " + reloadCount + " reloads"));
        b.append(String.format(Locale.ROOT, "discovery fan-out: 1 cluster %s ms, 100 clusters %s ms, ratio %s%n",
                fmt(fanout1Ms, "%.1f"), fmt(fanout100Ms, "%.1f"), fmt(fanoutRatio(), "%.2f")));
        b.append(String.format(Locale.ROOT, "%ntargets (reported, not asserted):%n"));
        for (Target t : targets()) {
            String verdict = t.met() == null ? "n/a " : t.met() ? "MET " : "MISS";
            b.append(String.format(Locale.ROOT, "  [%s] %-80s %s%n", verdict, t.name(), t.measured()));
        }
        return b.toString();
    }

    private static Double ms(Double micros) {
        return micros == null ? null : micros / 1000;
    }

    private static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    /** Writes {@code summary.json}: the scenarios, the reload and fan-out figures, the targets. */
    public void writeJson(Path file) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("scenarios");
        for (Scenario s : scenarios) {
            ObjectNode n = arr.addObject();
            n.put("name", s.name());
            n.put("op", s.op());
            n.put("in_flight", s.inFlight());
            n.put("hsms", s.hsms());
            n.put("slots", s.slots());
            n.put("connections", s.hsms() * s.slots());
            put(n, "connector_ops", s.figure("connector", ClientFigures::opsPerSecond));
            put(n, "floor_ops", s.figure("floor", ClientFigures::opsPerSecond));
            put(n, "blocking_ops", s.figure("blocking", ClientFigures::opsPerSecond));
            put(n, "connector_over_floor", s.ratio("connector", "floor"));
            put(n, "connector_over_blocking", s.ratio("connector", "blocking"));
            put(n, "alloc_bytes_per_op", s.figure("connector", ClientFigures::allocBytesPerOp));
            Double cAlloc = s.figure("connector", ClientFigures::allocBytesPerOp);
            Double fAlloc = s.figure("floor", ClientFigures::allocBytesPerOp);
            put(n, "alloc_over_floor_bytes_per_op", cAlloc == null || fAlloc == null ? null : cAlloc - fAlloc);
            put(n, "connector_over_floor_client_cpu", divide(s.figure("connector", ClientFigures::clientCpuUsPerOp),
                    s.figure("floor", ClientFigures::clientCpuUsPerOp)));
            for (String c : CLIENTS) {
                if (!c.equals("connector")) {
                    put(n, c + "_alloc_bytes_per_op", s.figure(c, ClientFigures::allocBytesPerOp));
                }
                put(n, c + "_p50_us", s.figure(c, ClientFigures::p50Us));
                put(n, c + "_p99_us", s.figure(c, ClientFigures::p99Us));
                put(n, c + "_p999_us", s.figure(c, ClientFigures::p999Us));
                put(n, c + "_client_cpu_us_per_op", s.figure(c, ClientFigures::clientCpuUsPerOp));
                put(n, c + "_server_cpu_us_per_op", s.figure(c, ClientFigures::serverCpuUsPerOp));
            }
        }
        put(root, "reload_p50_ms", reloadP50Ms);
        put(root, "reload_p99_ms", reloadP99Ms);
        if (reloadCount != null) {
            root.put("reload_count", reloadCount);
        }
        put(root, "fanout_1_ms", fanout1Ms);
        put(root, "fanout_100_ms", fanout100Ms);
        put(root, "fanout_100_over_1", fanoutRatio());
        ArrayNode targets = root.putArray("targets");
        for (Target t : targets()) {
            ObjectNode n = targets.addObject();
            n.put("target", t.name());
            n.put("measured", t.measured());
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

    private static void put(ObjectNode n, String field, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            n.putNull(field);
        } else {
            n.put(field, Math.round(v * 1000) / 1000.0);
        }
    }
}
