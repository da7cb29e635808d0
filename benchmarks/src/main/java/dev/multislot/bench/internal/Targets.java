package dev.multislot.bench.internal;

import dev.multislot.bench.internal.Summary.ClientFigures;
import dev.multislot.bench.internal.Summary.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The targets of docs/benchmarks.md (issue 12), each evaluated on one run's summary: the worst
 * figure over the scenarios it covers, the scenario that gave it, and met, missed, or not
 * measured. Reported, never asserted.
 */
final class Targets {

    /**
     * One target and what this run measured for it.
     *
     * @param figure the worst figure over the scenarios the target covers; null if none was measured
     * @param scenario the scenario that gave {@code figure}
     * @param met null when not measured, or when the run did not meet the target's condition
     */
    record Target(String name, String measured, Double figure, String scenario, Boolean met) {
    }

    private Targets() {
    }

    static List<Target> of(Summary s) {
        List<Target> t = new ArrayList<>();
        Predicate<Scenario> harnessFree = x -> x.op().equals("random") && x.harness().equals(Harness.WINDOW.label())
                && (x.inFlight() == 64 || x.inFlight() == 256) && (x.connections() == 1 || x.connections() == 12);
        t.add(worst(s, "harness-free random, 64 and 256 in flight, 1 and 12 connections: client CPU per request"
                + " <= 1.25 x the floor's", harnessFree,
                x -> x.ratio("connector", "floor", ClientFigures::clientCpuUsPerOp), true, 1.25, "%.2f x", null));
        t.add(worst(s, "harness-free random, 64 and 256 in flight, 1 and 12 connections: bytes per request"
                + " <= the floor's + 128", harnessFree,
                x -> difference(x.mean("connector", ClientFigures::allocBytesPerOp),
                        x.mean("floor", ClientFigures::allocBytesPerOp)), true, 128, "%+.0f B over the floor", null));
        t.add(worst(s, "pinned JVMs, every random scenario with 64+ in flight, both harnesses: throughput"
                + " >= 0.9 x the floor's in the same harness",
                x -> x.op().equals("random") && x.inFlight() >= 64,
                x -> x.ratio("connector", "floor", ClientFigures::ops), false, 0.9, "%.2f x",
                s.pinned() ? null : "JVMs not pinned on this run"));
        Predicate<Scenario> sign256 = x -> x.op().equals("sign") && x.inFlight() == 256;
        t.add(worst(s, "sign, 256 in flight: throughput >= 0.95 x the floor's", sign256,
                x -> x.ratio("connector", "floor", ClientFigures::ops), false, 0.95, "%.2f x", null));
        t.add(worst(s, "sign, 256 in flight: p99 <= 1.1 x the floor's", sign256,
                x -> Summary.divide(x.latency("connector", ClientFigures::p99Us), x.latency("floor", ClientFigures::p99Us)),
                true, 1.1, "%.2f x", null));
        t.add(worst(s, "random, 256 in flight, one connection: >= 10 x the blocking client's throughput",
                x -> x.op().equals("random") && x.inFlight() == 256 && x.connections() == 1,
                x -> x.ratio("connector", "blocking", ClientFigures::ops), false, 10, "%.1f x", null));
        t.add(single("hot reload p99 <= 250 ms", s.reloadP99Ms, "%.1f ms", s.reloadP99Ms != null && s.reloadP99Ms <= 250,
                "reload"));
        Double fan = s.fanoutRatio();
        t.add(single("discovery of 100 clusters <= 2 x one cluster's", fan, "%.2f x", fan != null && fan <= 2, "fanout"));
        return t;
    }

    /**
     * The worst of {@code figure} over the scenarios {@code covered} selects: the largest when
     * {@code atMost} (the target is an upper bound), else the smallest.
     *
     * @param unmetCondition why the run cannot judge the target (met is then null), or null
     */
    private static Target worst(Summary s, String name, Predicate<Scenario> covered, Function<Scenario, Double> figure,
            boolean atMost, double bound, String format, String unmetCondition) {
        Double worst = null;
        String where = null;
        int count = 0;
        for (Scenario x : s.scenarios()) {
            if (!covered.test(x)) {
                continue;
            }
            Double v = figure.apply(x);
            if (v == null) {
                continue;
            }
            count++;
            if (worst == null || (atMost ? v > worst : v < worst)) {
                worst = v;
                where = x.name();
            }
        }
        if (worst == null) {
            return new Target(name, "not measured", null, null, null);
        }
        boolean met = atMost ? worst <= bound : worst >= bound;
        String measured = String.format(Locale.ROOT, "worst " + format + " (%s; %d scenario%s)", worst, where, count,
                count == 1 ? "" : "s");
        if (unmetCondition != null) {
            return new Target(name, measured + "; " + unmetCondition + ", so not judged", worst, where, null);
        }
        return new Target(name, measured, worst, where, met);
    }

    private static Target single(String name, Double figure, String format, boolean met, String scenario) {
        if (figure == null) {
            return new Target(name, "not measured", null, null, null);
        }
        return new Target(name, String.format(Locale.ROOT, format, figure), figure, scenario, met);
    }

    private static Double difference(Double a, Double b) {
        return a == null || b == null ? null : a - b;
    }
}
