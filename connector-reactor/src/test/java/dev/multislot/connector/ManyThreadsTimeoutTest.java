package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests handed to one connection from several threads at once, most of them waiting for a
 * place on it, all time out on a stalled HSM: none is lost on the way to the connection, none
 * times out early, and nothing is left behind.
 */
class ManyThreadsTimeoutTest {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);
    private static final int THREADS = 4;
    private static final int PER_THREAD = 250;

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder()
            // Eight requests on the wire: the rest wait on the connection, where their timeouts must fire too.
            .cluster(spec -> spec.maxInFlightPerConnection(8))
            .options(o -> o.connectionsPerHsm(1)
                    .maxPendingRequests(20_000)
                    .requestTimeout(ATTEMPT_TIMEOUT)
                    .attemptTimeout(ATTEMPT_TIMEOUT)
                    .keepaliveInterval(Duration.ofMinutes(5))
                    .breaker(b -> b.slidingWindowSize(10_000).minimumNumberOfCalls(10_000)))
            .closeGracePeriod(Duration.ZERO)
            .build();

    @Test
    void requestsFromManyThreadsOnAStalledHsmAllTimeOutAndLeaveNothingBehind(LocalCluster cluster, Slot slot,
            SlotSession session) throws Exception {
        Internals.awaitLoginEverywhere(slot);
        cluster.hsm(0).faults().stall(true);
        int total = THREADS * PER_THREAD;
        CountDownLatch ended = new CountDownLatch(total);
        AtomicInteger successes = new AtomicInteger();
        AtomicLong earliestEnd = new AtomicLong(Long.MAX_VALUE);
        Map<Class<?>, AtomicInteger> errors = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < PER_THREAD; i++) {
                        long start = System.nanoTime();
                        session.random(32).subscribe(v -> {
                            successes.incrementAndGet();
                            ended.countDown();
                        }, e -> {
                            earliestEnd.accumulateAndGet(System.nanoTime() - start, Math::min);
                            errors.computeIfAbsent(e.getClass(), k -> new AtomicInteger()).incrementAndGet();
                            ended.countDown();
                        });
                    }
                }, "submitter-" + t);
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(ended.await(30, TimeUnit.SECONDS)).as("every request ended").isTrue();
            assertThat(successes).as("no answer from a stalled HSM").hasValue(0);
            assertThat(errors.keySet()).allMatch(c -> c == HsmTimeoutException.class || c == SlotUnavailableException.class);
            assertThat(Duration.ofNanos(earliestEnd.get())).as("no request timed out early")
                    .isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT);
            assertThat(Internals.pending(slot)).isZero();
            Await.until("request ids and in-flight counts to be released", Duration.ofSeconds(10),
                    () -> Internals.occupiedPlaces(slot) == 0 && Internals.inFlight(slot) == 0
                            && Internals.connectionLoad(slot) == 0);
        } finally {
            cluster.hsm(0).faults().stall(false);
        }
        // The connection still works: the timed-out requests gave back their places.
        assertThat(session.random(32).block(Duration.ofSeconds(10))).hasSize(32);
    }
}
