package dev.multislot.local.internal.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning that is logged at most once per interval (with the count of those not logged), so that a
 * flood of bad clients is visible in the log without the log becoming the next thing to exhaust.
 */
final class ThrottledLog {

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong nextAt = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(Logger log) {
        this.log = log;
    }

    void warn(String format, Object... args) {
        long now = System.nanoTime();
        long due = nextAt.get();
        if (now - due >= 0 && nextAt.compareAndSet(due, now + INTERVAL_NANOS)) {
            long skipped = suppressed.getAndSet(0);
            log.warn(skipped == 0 ? format : format + " (and " + skipped + " more like it in the last 10 s)", args);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
