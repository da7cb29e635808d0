package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** The pending limit: overflow fails at once, and nothing stays behind afterwards. */
class SlotOverloadTest {

    private static final int LIMIT = 100;

    private static LocalCluster cluster;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
        connector = Clusters.connect(Clusters.testOptions()
                .maxPendingRequests(LIMIT)
                .requestTimeout(Duration.ofSeconds(30))
                .attemptTimeout(Duration.ofSeconds(30))
                .keepaliveInterval(Duration.ofMinutes(5))
                .build(), Clusters.config(cluster));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        cluster.close();
    }

    @Test
    void requestsOverTheLimitFailAtOnceAndThePendingCountReturnsToZero() {
        Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
        SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "overload").block();
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            for (int round = 0; round < 5; round++) {
                ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
                AtomicInteger values = new AtomicInteger();
                List<Disposable> subscriptions = new ArrayList<>();
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
                Internals.await("connection places to be released", Duration.ofSeconds(5),
                        () -> Internals.occupiedPlaces(slot) == 0 && Internals.inFlight(slot) == 0
                                && Internals.connectionLoad(slot) == 0);
                assertThat(values).hasValue(0);
            }
        } finally {
            cluster.hsms().forEach(h -> h.faults().stall(false));
        }
        // The slot still serves after the overload rounds.
        assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).block(Duration.ofSeconds(10)))
                .hasSize(32);
    }

}
