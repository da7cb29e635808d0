package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Per-request latency of one trial, recorded from any thread without locks or allocation
 * (HdrHistogram's {@link Recorder}), during measurement iterations only, and written at the end
 * of the trial as one JSON file per benchmark and parameter set under
 * {@link BenchPaths#latencyDir()}.
 */
public final class LatencyRecorder {

    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recorder recorder = new Recorder(HIGHEST, 3);
    private final Histogram total = new Histogram(HIGHEST, 3);
    private Histogram interval;
    private volatile boolean recording;

    /** Records one request that took {@code nanos}; ignored outside measurement iterations. */
    public void record(long nanos) {
        if (recording) {
            recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST));
        }
    }

    /** Call from {@code @Setup(Level.Iteration)}: records only if it is a measurement iteration. */
    public void iterationStarts(IterationParams params) {
        interval = recorder.getIntervalHistogram(interval); // drops what warmup left behind
        recording = params.getType() == IterationType.MEASUREMENT;
    }

    /** Call from {@code @TearDown(Level.Iteration)}, after every request of the iteration ended. */
    public void iterationEnds() {
        if (recording) {
            recording = false;
            interval = recorder.getIntervalHistogram(interval);
            total.add(interval);
        }
    }

    /** The measurement iterations' histogram so far. */
    public Histogram histogram() {
        return total;
    }

    /**
     * Writes the trial's percentiles (microseconds) to
     * {@code <latencyDir>/<benchmark>-<params>-trial=<pid>.json}
     * and returns the file.
     */
    public Path write(BenchmarkParams params) {
        TreeMap<String, String> ps = new TreeMap<>();
        for (String k : params.getParamsKeys()) {
            ps.put(k, params.getParam(k));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", params.getBenchmark());
        ObjectNode pn = root.putObject("params");
        ps.forEach(pn::put);
        root.put("count", total.getTotalCount());
        root.put("p50_us", micros(total.getValueAtPercentile(50)));
        root.put("p99_us", micros(total.getValueAtPercentile(99)));
        root.put("p999_us", micros(total.getValueAtPercentile(99.9)));
        root.put("max_us", micros(total.getMaxValue()));
        root.put("mean_us", total.getTotalCount() == 0 ? 0 : Math.round(total.getMean() / 10.0) / 100.0);
        StringBuilder name = new StringBuilder(params.getBenchmark().replaceFirst("^.*\\.([^.]+\\.[^.]+)$", "$1"));
        ps.forEach((k, v) -> name.append('-').append(k).append('=').append(v));
        // One file per trial: each JMH fork is its own JVM.
        name.append("-trial=").append(ProcessHandle.current().pid());
        Path file = BenchPaths.latencyDir().resolve(name.toString().replaceAll("[^A-Za-z0-9._=-]", "_") + ".json");
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 10.0) / 100.0;
    }
}
