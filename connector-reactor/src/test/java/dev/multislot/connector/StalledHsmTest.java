package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** An HSM that accepts requests and never answers: attempts time out and move; its breaker opens. */
class StalledHsmTest {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(400);

    private static LocalCluster cluster;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(3);
        connector = Clusters.connect(Clusters.testOptions()
                .requestTimeout(Duration.ofSeconds(10))
                .attemptTimeout(ATTEMPT_TIMEOUT)
                .keepaliveInterval(Duration.ofMinutes(5))
                .breaker(b -> b.slidingWindowSize(10).minimumNumberOfCalls(5)
                        .slowCallDurationThreshold(Duration.ofMillis(200))
                        .waitDurationInOpenState(Duration.ofSeconds(30)))
                .build(), Clusters.config(cluster));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        cluster.close();
    }

    @Test
    void requestsTimeOutOnTheStalledHsmMoveElsewhereAndItsBreakerOpens() throws Exception {
        SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER)
                .block(Duration.ofSeconds(10));
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "stall").block();
        LocalHsm stalled = cluster.hsm(1);
        HsmAddress stalledAddress = Clusters.address(stalled);
        CountDownLatch opened = new CountDownLatch(1);
        Disposable events = connector.events().subscribe(e -> {
            if (e instanceof SlotEvent.BreakerStateChanged b && b.hsm().equals(stalledAddress) && b.to() == BreakerState.OPEN) {
                opened.countDown();
            }
        });
        stalled.faults().stall(true);
        AtomicLong slowest = new AtomicLong();
        try {
            Long ok = Flux.range(0, 400)
                    .flatMap(i -> {
                        long start = System.nanoTime();
                        return session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                                .doOnNext(s -> slowest.accumulateAndGet(System.nanoTime() - start, Math::max));
                    }, 32)
                    .count()
                    .block(Duration.ofSeconds(60));
            assertThat(ok).as("every sign succeeded, moved off the stalled HSM").isEqualTo(400);
            assertThat(opened.await(10, TimeUnit.SECONDS)).as("breaker of the stalled HSM opened").isTrue();
            // Some requests did wait for the stalled HSM: at least one attempt timeout.
            assertThat(Duration.ofNanos(slowest.get())).isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT);
            // With its breaker open the stalled HSM gets no more requests: the rest are quick.
            long start = System.nanoTime();
            Flux.range(0, 200)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 32)
                    .blockLast(Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ATTEMPT_TIMEOUT.multipliedBy(10));
        } finally {
            stalled.faults().stall(false);
            events.dispose();
        }
    }
}
