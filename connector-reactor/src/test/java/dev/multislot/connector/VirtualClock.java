package dev.multislot.connector;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Virtual time for a connector on real connections: the connector's timer is a
 * {@link VirtualTimeScheduler}, and the test moves it on a step at a time until what it waits for
 * has happened. Each step leaves the event loops a few real milliseconds to act on what the step
 * made due (a timeout firing, a PING going out); nothing else waits on the wall clock.
 */
final class VirtualClock {

    private static final Duration STEP = Duration.ofSeconds(1);
    private static final Duration REAL_PAUSE = Duration.ofMillis(20);

    private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

    /**
     * Test options in which nothing but the delay under test ends anything early: long request, attempt
     * and connect timeouts (time jumps by up to a minute while a real TLS handshake takes real
     * milliseconds), no keepalive to answer while time jumps, a breaker that never opens on failures.
     */
    static HsmConnectorOptions.Builder patientOptions() {
        return Clusters.testOptions()
                .requestTimeout(Duration.ofHours(10))
                .attemptTimeout(Duration.ofHours(1))
                .connectTimeout(Duration.ofHours(1))
                .keepaliveInterval(Duration.ofDays(10))
                .breaker(b -> b.slidingWindowSize(100_000).minimumNumberOfCalls(100_000));
    }

    /** The scheduler to give to {@code ReactorHsmConnector.builder().timer(..)}. */
    VirtualTimeScheduler scheduler() {
        return scheduler;
    }

    /** A connector on this clock, connected to {@code cluster} and started; the caller closes it with no grace. */
    ReactorHsmConnector connect(HsmConnectorOptions options, ClusterConfig cluster) {
        return connect(ReactorHsmConnector.builder().options(options).configSource(new TestConfigSource(List.of(cluster))));
    }

    /** The connector {@code builder} makes, on this clock, started. */
    ReactorHsmConnector connect(ReactorHsmConnector.Builder builder) {
        ReactorHsmConnector connector = builder.timer(scheduler).build();
        connector.connect().block(Duration.ofSeconds(20));
        return connector;
    }

    /** Virtual time now. */
    Duration now() {
        return Duration.ofNanos(scheduler.now(TimeUnit.NANOSECONDS));
    }

    void advance(Duration by) {
        scheduler.advanceTimeBy(by);
    }

    /**
     * Moves time on by {@code by} and checks that {@code condition} has still not come true a few
     * real milliseconds later, once the event loops have run what became due.
     */
    void advanceAndCheckStillNot(String what, BooleanSupplier condition, Duration by) {
        scheduler.advanceTimeBy(by);
        if (Await.holdsWithin(Duration.ofMillis(200), condition)) {
            throw new AssertionError(what + " already after " + now() + " of virtual time");
        }
    }

    /**
     * Moves time on until {@code call} ends, for at most {@code limit} of virtual time; returns its
     * error, or null for a success.
     */
    Throwable advanceUntilDone(CompletableFuture<?> call, Duration limit) throws InterruptedException {
        return advanceUntilDone(call, limit, STEP);
    }

    /** As {@link #advanceUntilDone(CompletableFuture, Duration)}, in steps of {@code step}. */
    Throwable advanceUntilDone(CompletableFuture<?> call, Duration limit, Duration step) throws InterruptedException {
        for (long s = 0; s <= limit.dividedBy(step); s++) {
            try {
                call.get(REAL_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException notYet) {
                scheduler.advanceTimeBy(step);
            }
        }
        try {
            call.get(5, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + limit + " of virtual time", e);
        }
    }

    /** Moves time on until {@code condition} holds, for at most {@code limit} of virtual time. */
    void advanceUntil(String what, BooleanSupplier condition, Duration limit) {
        advanceUntil(what, condition, limit, STEP);
    }

    /** As {@link #advanceUntil(String, BooleanSupplier, Duration)}, in steps of {@code step}. */
    void advanceUntil(String what, BooleanSupplier condition, Duration limit, Duration step) {
        for (long s = 0; s <= limit.dividedBy(step); s++) {
            if (Await.holdsWithin(REAL_PAUSE, condition)) {
                return;
            }
            scheduler.advanceTimeBy(step);
        }
        throw new AssertionError("waited " + limit + " of virtual time for " + what);
    }
}
