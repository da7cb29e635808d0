package dev.multislot.cli.demo;

import dev.multislot.api.ClusterId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the demo's workload saw on one slot: requests, failures and latencies. Thread-safe. */
final class SlotMetrics {

    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ClusterId clusterId;
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final Recorder interval = new Recorder(MAX_LATENCY_NANOS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_NANOS, 3);
    private long lastRequests;

    SlotMetrics(ClusterId clusterId) {
        this.clusterId = clusterId;
    }

    ClusterId clusterId() {
        return clusterId;
    }

    void succeeded(long nanos) {
        requests.increment();
        interval.recordValue(Math.min(nanos, MAX_LATENCY_NANOS));
    }

    void failed(boolean expected) {
        requests.increment();
        failures.increment();
        if (!expected) {
            unexpected.increment();
        }
    }

    long requests() {
        return requests.sum();
    }

    long failures() {
        return failures.sum();
    }

    long unexpectedFailures() {
        return unexpected.sum();
    }

    /** Takes the latencies recorded since the last call; folds them into the totals. Called by one thread. */
    synchronized Snapshot sample() {
        Histogram h = interval.getIntervalHistogram();
        total.add(h);
        long now = requests.sum();
        long delta = now - lastRequests;
        lastRequests = now;
        return new Snapshot(delta, h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1e6, failures.sum());
    }

    synchronized double totalPercentileMillis(double percentile) {
        total.add(interval.getIntervalHistogram());
        return total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(percentile) / 1e6;
    }

    /** One progress interval of a slot. */
    record Snapshot(long requests, double p99Millis, long failures) {}
}
