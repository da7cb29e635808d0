package dev.multislot.connector.internal.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The connector's one source of time: every deadline, backoff, reconnect delay, breaker wait, drain
 * grace and refresh period reads {@link #nanoTime()} and waits through {@link #schedule}, so that a
 * test can drive all of them with one {@code VirtualTimeScheduler}.
 *
 * <p>Tasks given to {@link #schedule} run on the scheduler's thread (with virtual time: the thread
 * that advances it). Work that must run on an event loop hands itself over to that loop.
 */
public final class TimeSource {

    private final Scheduler scheduler;
    /** Reactor's default {@code Scheduler.now} has millisecond resolution; real time reads the JVM's clock. */
    private final boolean systemNanos;

    private TimeSource(Scheduler scheduler, boolean systemNanos) {
        this.scheduler = scheduler;
        this.systemNanos = systemNanos;
    }

    /** Real time: {@link System#nanoTime()}, with delays on {@code timer}. */
    public static TimeSource realTime(Scheduler timer) {
        return new TimeSource(Objects.requireNonNull(timer, "timer"), true);
    }

    /**
     * Time as the given scheduler tells it ({@code scheduler.now(NANOSECONDS)}) and delays on it; with
     * a {@code VirtualTimeScheduler}, time moves only when the test advances it.
     */
    public static TimeSource of(Scheduler scheduler) {
        return new TimeSource(Objects.requireNonNull(scheduler, "scheduler"), false);
    }

    /** A monotonic reading in nanoseconds; only differences between two readings mean anything. */
    public long nanoTime() {
        return systemNanos ? System.nanoTime() : scheduler.now(TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} once after {@code delay}; disposing the result cancels it if it has not run. */
    public Disposable schedule(Runnable task, Duration delay) {
        return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * This source as a wall clock, for what needs a {@link Clock} (event timestamps, the circuit
     * breakers' open wait): the system UTC clock in real time, the scheduler's {@code now} otherwise.
     */
    public Clock clock() {
        return systemNanos ? Clock.systemUTC() : new SchedulerClock(scheduler, ZoneOffset.UTC);
    }

    /** The scheduler behind this source, for Reactor operators that take one ({@code Mono.delay}, {@code timeout}). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** A {@link Clock} that reads a scheduler's time, so that virtual time moves it too. */
    private static final class SchedulerClock extends Clock {
        private final Scheduler scheduler;
        private final ZoneId zone;

        SchedulerClock(Scheduler scheduler, ZoneId zone) {
            this.scheduler = scheduler;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new SchedulerClock(scheduler, other);
        }

        @Override
        public Instant instant() {
            long nanos = scheduler.now(TimeUnit.NANOSECONDS);
            return Instant.ofEpochSecond(0, nanos);
        }

        @Override
        public long millis() {
            return scheduler.now(TimeUnit.MILLISECONDS);
        }
    }
}
