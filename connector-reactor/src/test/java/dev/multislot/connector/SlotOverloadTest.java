package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotHealth;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/**
 * The pending limit: overflow fails at once, the slot never holds more than the limit however
 * many threads offer at once, and nothing stays behind afterwards. Holding at most the limit is
 * what keeps memory flat under overload; it is asserted on the counts the slot reports rather than
 * on the heap, which a GC makes noisy.
 */
class SlotOverloadTest {

    private static final int LIMIT = 100;

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            .options(o -> o.maxPendingRequests(LIMIT)
                    .requestTimeout(Duration.ofSeconds(30))
                    .attemptTimeout(Duration.ofSeconds(30))
                    .keepaliveInterval(Duration.ofMinutes(5)))
            .build();

    @Test
    void requestsOverTheLimitFailAtOnceAndThePendingCountReturnsToZero(LocalCluster cluster, Slot slot,
            SlotSession session) {
        Internals.awaitLoginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "overload").block();
        List<Disposable> subscriptions = new ArrayList<>();
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            for (int round = 0; round < 5; round++) {
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                AtomicInteger values = new AtomicInteger();
                subscriptions.clear();
                long start = System.nanoTime();
                for (int i = 0; i < 1000; i++) {
                    subscriptions.add(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {(byte) i})
                            .subscribe(v -> values.incrementAndGet(), errors::add));
                }
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                // The 900 over the limit failed during subscribe, long before any timeout.
                assertThat(errors).hasSize(900).allMatch(e -> e instanceof SlotOverloadedException);
                assertThat(((SlotOverloadedException) errors.peek()).limit()).isEqualTo(LIMIT);
                assertThat(elapsedMillis).isLessThan(10_000);
                assertThat(Internals.pending(slot)).isEqualTo(LIMIT);

                subscriptions.forEach(Disposable::dispose);
                assertThat(Internals.pending(slot)).isZero();
                Await.until("connection places to be released", Duration.ofSeconds(5),
                        () -> Internals.occupiedPlaces(slot) == 0 && Internals.inFlight(slot) == 0
                                && Internals.connectionLoad(slot) == 0);
                assertThat(values).hasValue(0);
            }
        } finally {
            // A failed round must not leave its requests pending for the next test.
            subscriptions.forEach(Disposable::dispose);
            cluster.hsms().forEach(h -> h.faults().stall(false));
        }
        // The slot still serves after the overload rounds.
        assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).block(Duration.ofSeconds(10)))
                .hasSize(32);
    }

    @Test
    void offeredFromSeveralThreadsAtOnceTheSlotNeverHoldsOrSendsMoreThanTheLimit(LocalCluster cluster, Slot slot,
            SlotSession session) throws Exception {
        Internals.awaitLoginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "overload-threads").block(Duration.ofSeconds(10));
        int threads = 4;
        int perThread = 500;
        ExecutorService offerers = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<Disposable> allSubscriptions = new ConcurrentLinkedQueue<>();
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            for (int round = 0; round < 3; round++) {
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Disposable> subscriptions = allSubscriptions;
                subscriptions.clear();
                AtomicInteger values = new AtomicInteger();
                AtomicInteger mostPending = new AtomicInteger();
                AtomicInteger mostOnTheWire = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> offered = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    offered.add(offerers.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            subscriptions.add(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                                    .subscribe(v -> values.incrementAndGet(), errors::add));
                            SlotHealth health = slot.health();
                            mostPending.accumulateAndGet(health.pendingRequests(), Math::max);
                            mostOnTheWire.accumulateAndGet(
                                    health.hsms().stream().mapToInt(SlotHealth.HsmHealth::inFlight).sum(), Math::max);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : offered) {
                    f.get(60, TimeUnit.SECONDS);
                }
                int admitted = threads * perThread - errors.size();
                assertThat(errors).allMatch(e -> e instanceof SlotOverloadedException);
                assertThat(admitted).as("requests admitted in round %d", round).isBetween(1, LIMIT);
                // Only admitted requests reach a connection: the HSMs never see more than the limit.
                assertThat(mostOnTheWire.get()).as("requests in flight to the HSMs").isLessThanOrEqualTo(LIMIT);
                // Admission takes a place only below the limit (compare-and-set): the count never exceeds it.
                assertThat(mostPending.get()).as("pending requests").isLessThanOrEqualTo(LIMIT);

                // Offered one at a time until one is refused, the slot fills up to exactly the limit.
                int refused = errors.size();
                for (int i = 0; i <= LIMIT && errors.size() == refused; i++) {
                    subscriptions.add(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .subscribe(v -> values.incrementAndGet(), errors::add));
                }
                assertThat(errors).hasSize(refused + 1);
                assertThat(slot.health().pendingRequests()).isEqualTo(LIMIT);
                Await.until("every admitted request to be on the wire", Duration.ofSeconds(30),
                        () -> slot.health().hsms().stream().mapToInt(SlotHealth.HsmHealth::inFlight).sum() == LIMIT);
                // Places are read connection by connection, each on its own event loop, so one read can
                // catch a place being handed back; what must hold is that they settle at the limit.
                Await.until("request-table places to hold no more than the limit", Duration.ofSeconds(30),
                        () -> Internals.occupiedPlaces(slot) <= LIMIT);

                subscriptions.forEach(Disposable::dispose);
                assertThat(slot.health().pendingRequests()).isZero();
                Await.until("connection places to be released", Duration.ofSeconds(30),
                        () -> Internals.occupiedPlaces(slot) == 0 && Internals.inFlight(slot) == 0
                                && Internals.connectionLoad(slot) == 0);
                assertThat(values).hasValue(0);
            }
        } finally {
            // A failed round must not leave its requests pending for the next test.
            allSubscriptions.forEach(Disposable::dispose);
            cluster.hsms().forEach(h -> h.faults().stall(false));
            offerers.shutdownNow();
            offerers.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).block(Duration.ofSeconds(10)))
                .hasSize(32);
    }
}
