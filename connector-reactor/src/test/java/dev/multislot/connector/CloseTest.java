package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Closing: in-flight requests finish within the grace period, later ones are refused. */
class CloseTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void inFlightRequestsFinishWithinTheGracePeriodAndNewOnesFailWithConnectorClosed() {
        ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().maxPendingRequests(1000).build(),
                Clusters.config(cluster));
        Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
        SlotSession session = Internals.loginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "close").block();
        AtomicInteger ok = new AtomicInteger();
        Map<Class<?>, AtomicInteger> errors = new ConcurrentHashMap<>();
        List<Mono<byte[]>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            inFlight.add(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)).cache());
        }
        Mono<Void> all = Flux.merge(Flux.fromIterable(inFlight).map(m -> m
                        .doOnNext(v -> ok.incrementAndGet())
                        .doOnError(e -> errors.computeIfAbsent(e.getClass(), c -> new AtomicInteger()).incrementAndGet())
                        .onErrorResume(e -> Mono.empty())), 500)
                .then()
                .cache();
        all.subscribe();

        StepVerifier.create(connector.close(Duration.ofSeconds(10))).expectComplete().verify(Duration.ofSeconds(30));
        all.block(Duration.ofSeconds(5));
        assertThat(errors).isEmpty();
        assertThat(ok).hasValue(500);

        StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                .expectError(ConnectorClosedException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(slot.login(Clusters.USER)).expectError(ConnectorClosedException.class).verify(Duration.ofSeconds(5));
        assertThat(connector.slots()).isEmpty();
        // Closing again returns the same, completed result.
        StepVerifier.create(connector.close(Duration.ofSeconds(1))).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void requestsStillRunningAtTheDeadlineFailWithConnectorClosedAndEventsComplete() {
        ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                .requestTimeout(Duration.ofSeconds(60))
                .attemptTimeout(Duration.ofSeconds(60))
                .keepaliveInterval(Duration.ofMinutes(5))
                .build(), Clusters.config(cluster));
        SlotSession session = Internals.loginEverywhere(connector.slot(Clusters.id(cluster)).orElseThrow());
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "deadline").block();
        var events = connector.events().then().toFuture();
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            Mono<byte[]> stuck = session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).cache();
            stuck.subscribe(v -> { }, e -> { });
            Await.until("the request to be on the wire", Duration.ofSeconds(5),
                    () -> Internals.inFlight(connector.slots().get(0)) == 1);
            long start = System.nanoTime();
            StepVerifier.create(connector.close(Duration.ofMillis(300))).expectComplete().verify(Duration.ofSeconds(30));
            StepVerifier.create(stuck).expectError(ConnectorClosedException.class).verify(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(events).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            cluster.hsms().forEach(h -> h.faults().stall(false));
        }
    }
}
