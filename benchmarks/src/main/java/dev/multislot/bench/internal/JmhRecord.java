package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a JMH JSON result file, read per trial: JMH writes each metric's iteration values
 * per fork ({@code rawData}), and a fork is one trial.
 */
final class JmhRecord {

    /**
     * Metrics reported by {@code AuxCounters} states whose iterations each report their share of
     * the mean ({@code ClientCpu}, {@code RequestsPerFlush}): a trial's value is their sum.
     */
    private static final List<String> SHARE_OF_MEAN = List.of("clientCpuMicrosPerOp", "serverCpuMicrosPerOp",
            "requestsPerFlush");

    private final JsonNode node;
    final String className;
    final String method;

    JmhRecord(JsonNode node) {
        this.node = node;
        String benchmark = node.path("benchmark").asText();
        String simple = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        this.className = simple.substring(0, simple.indexOf('.'));
        this.method = simple.substring(simple.indexOf('.') + 1);
    }

    JsonNode params() {
        return node.path("params");
    }

    int param(String name) {
        return params().path(name).asInt();
    }

    JsonNode primary() {
        return node.path("primaryMetric");
    }

    /** The primary score's trials. */
    Trials primaryTrials() {
        return trials(primary(), false);
    }

    /** A secondary metric's trials; null if it is missing. */
    Trials secondaryTrials(String metric) {
        JsonNode m = node.path("secondaryMetrics").path(metric);
        return m.isMissingNode() ? null : trials(m, SHARE_OF_MEAN.contains(metric));
    }

    /**
     * The largest change of the primary score from a trial's first to its last measurement
     * iteration, as a fraction of that trial's mean: near 0 when the warmup reached steady state.
     */
    Double drift() {
        Double worst = null;
        for (JsonNode fork : primary().path("rawData")) {
            if (fork.size() < 2) {
                continue;
            }
            double sum = 0;
            for (JsonNode v : fork) {
                sum += v.asDouble();
            }
            double mean = sum / fork.size();
            if (mean > 0) {
                double d = Math.abs(fork.get(fork.size() - 1).asDouble() - fork.get(0).asDouble()) / mean;
                worst = worst == null ? d : Math.max(worst, d);
            }
        }
        return worst;
    }

    int measurementIterations() {
        return node.path("measurementIterations").asInt();
    }

    int forks() {
        return Math.max(1, node.path("forks").asInt());
    }

    private static Trials trials(JsonNode metric, boolean summed) {
        JsonNode raw = metric.path("rawData");
        List<Double> perFork = new ArrayList<>();
        if (raw.isArray() && !raw.isEmpty()) {
            for (JsonNode fork : raw) {
                if (fork.isEmpty()) {
                    continue;
                }
                double sum = 0;
                for (JsonNode v : fork) {
                    sum += v.asDouble();
                }
                perFork.add(summed ? sum : sum / fork.size());
            }
        } else {
            perFork.add(number(metric.path("score")));
        }
        return Trials.of(perFork);
    }

    static Double number(JsonNode n) {
        if (n.isNumber()) {
            return Double.isNaN(n.asDouble()) ? null : n.asDouble();
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
}
