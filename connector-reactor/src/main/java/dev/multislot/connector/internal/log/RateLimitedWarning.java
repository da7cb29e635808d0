package dev.multislot.connector.internal.log;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One kind of warning that may come in bursts (one per connection, per dropped command...):
 * the first is logged, the ones within the next {@code window} only counted, and the first after
 * the window is logged with how many were left out. Thread-safe; logging happens outside the lock.
 */
public final class RateLimitedWarning {

    /** Default quiet period after a warning is logged. */
    public static final long DEFAULT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Logger log;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private long lastLoggedAt;
    private boolean loggedOnce;
    private long suppressed;

    public RateLimitedWarning(Logger log) {
        this(log, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    public RateLimitedWarning(Logger log, long windowNanos, LongSupplier nanoTime) {
        this.log = log;
        this.windowNanos = windowNanos;
        this.nanoTime = nanoTime;
    }

    /** Logs at WARN, unless one was logged less than the window ago; then counts it. */
    public void warn(String format, Object... args) {
        long left;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (loggedOnce && now - lastLoggedAt < windowNanos) {
                suppressed++;
                return;
            }
            left = suppressed;
            suppressed = 0;
            lastLoggedAt = now;
            loggedOnce = true;
        }
        if (left == 0) {
            log.warn(format, args);
        } else if (log.isWarnEnabled()) {
            log.warn(format + " (and {} more like it in the last {} s)", append(args, left,
                    TimeUnit.NANOSECONDS.toSeconds(windowNanos)));
        }
    }

    private static Object[] append(Object[] args, Object a, Object b) {
        Object[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = a;
        all[args.length + 1] = b;
        return all;
    }
}
