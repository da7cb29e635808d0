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

    /** The scheduler to give to {@code ReactorHsmConnector.builder().timer(..)}. */
    VirtualTimeScheduler scheduler() {
        return scheduler;
    }

    /** A connector on this clock, connected to {@code cluster} and started; the caller closes it with no grace. */
    ReactorHsmConnector connect(HsmConnectorOptions options, ClusterConfig cluster) {
        ReactorHsmConnector connector = ReactorHsmConnector.builder()
                .options(options)
                .configSource(new TestConfigSource(List.of(cluster)))
                .timer(scheduler)
                .build();
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
     * Moves time on until {@code call} ends, for at most {@code limit} of virtual time; returns its
     * error, or null for a success.
     */
    Throwable advanceUntilDone(CompletableFuture<?> call, Duration limit) throws InterruptedException {
        for (long s = 0; s <= limit.dividedBy(STEP); s++) {
            try {
                call.get(REAL_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException notYet) {
                scheduler.advanceTimeBy(STEP);
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
        for (long s = 0; s <= limit.dividedBy(STEP); s++) {
            if (Await.holdsWithin(REAL_PAUSE, condition)) {
                return;
            }
            scheduler.advanceTimeBy(STEP);
        }
        throw new AssertionError("waited " + limit + " of virtual time for " + what);
    }
}
