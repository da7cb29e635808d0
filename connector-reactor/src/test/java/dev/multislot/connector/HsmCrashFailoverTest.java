package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testkit.MultislotExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One HSM of three crashes during 20,000 signs at 256 in flight. The signs are HMAC-SHA256 (JDK
 * 17's ECDSA costs about 1 ms of CPU each, too much for two shared cores), still signs.
 */
class HsmCrashFailoverTest {

    private static final int SIGNS = 20_000;

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(3)
            .options(o -> o.maxPendingRequests(1_000)
                    .requestTimeout(Duration.ofSeconds(20))
                    .attemptTimeout(Duration.ofSeconds(5))
                    .breaker(b -> b.slidingWindowSize(20).minimumNumberOfCalls(10)
                            .waitDurationInOpenState(Duration.ofMillis(300))))
            .build();

    @Test
    void crashedHsmCostsNoFailedSignAndIsUsedAgainWhenItReturns(LocalCluster cluster, ReactorHsmConnector connector,
            Slot slot, SlotSession session) throws Exception {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "failover").block();
        LocalHsm victim = cluster.hsm(0);
        HsmAddress victimAddress = Clusters.address(victim);

        CountDownLatch breakerOpened = new CountDownLatch(1);
        CountDownLatch breakerClosedAgain = new CountDownLatch(1);
        Disposable events = connector.events().subscribe(e -> {
            if (e instanceof SlotEvent.BreakerStateChanged b && b.hsm().equals(victimAddress)) {
                if (b.to() == BreakerState.OPEN) {
                    breakerOpened.countDown();
                } else if (b.to() == BreakerState.CLOSED && breakerOpened.getCount() == 0) {
                    breakerClosedAgain.countDown();
                }
            }
        });

        AtomicIntegerArray completions = new AtomicIntegerArray(SIGNS);
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch quarterDone = new CountDownLatch(SIGNS / 4);
        Mono<Long> run = Flux.range(0, SIGNS)
                .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                        .doOnNext(sig -> {
                            completions.incrementAndGet(i);
                            quarterDone.countDown();
                        })
                        .doOnError(e -> {
                            completions.incrementAndGet(i);
                            failures.incrementAndGet();
                        })
                        .onErrorResume(e -> Mono.empty()), 256)
                .count()
                .cache();
        run.subscribe();
        assertThat(quarterDone.await(60, TimeUnit.SECONDS)).isTrue();
        victim.stop();
        Long signed = run.block(Duration.ofSeconds(120));

        assertThat(failures).as("failed signs").hasValue(0);
        assertThat(signed).isEqualTo(SIGNS);
        for (int i = 0; i < SIGNS; i++) {
            assertThat(completions.get(i)).as("completions of request %d", i).isEqualTo(1);
        }
        assertThat(breakerOpened.await(10, TimeUnit.SECONDS)).as("breaker of the crashed HSM opened").isTrue();
        assertThat(Internals.pending(slot)).isZero();

        // Back again: it is used again once its breaker lets probes through.
        long servedBefore = victim.stats().requestsServed();
        victim.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (victim.stats().requestsServed() <= servedBefore + 100 && System.nanoTime() < deadline) {
            Flux.range(0, 500)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 64)
                    .blockLast(Duration.ofSeconds(30));
        }
        assertThat(victim.stats().requestsServed()).isGreaterThan(servedBefore + 100);
        assertThat(breakerClosedAgain.await(10, TimeUnit.SECONDS)).as("breaker closed again").isTrue();
        events.dispose();
    }
}
