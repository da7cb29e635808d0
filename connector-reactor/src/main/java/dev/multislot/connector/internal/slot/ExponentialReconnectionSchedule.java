package dev.multislot.connector.internal.slot;

import dev.multislot.connector.ReconnectionSchedule;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: attempt n waits a random time up to {@code min(max, base * 2^n)}. */
final class ExponentialReconnectionSchedule implements ReconnectionSchedule {

    private final long baseNanos;
    private final long maxNanos;
    private int attempt;

    ExponentialReconnectionSchedule(Duration base, Duration max) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    @Override
    public Duration nextDelay() {
        return Duration.ofNanos(jittered(baseNanos, maxNanos, attempt++));
    }

    /** A random delay up to {@code min(max, base * 2^attempt)}, but at least a tenth of the base. */
    static long jittered(long baseNanos, long maxNanos, int attempt) {
        long ceiling = maxNanos;
        if (attempt < 62 && baseNanos <= (maxNanos >> attempt)) {
            ceiling = baseNanos << attempt;
        }
        long floor = Math.max(1, baseNanos / 10);
        return floor + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling - floor + 1));
    }
}
