package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotHealth;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * An HSM that accepts requests and never answers: attempts time out and move; its breaker opens.
 *
 * <p>The attempt timeout is the only one meant to fire, and only on the stalled HSM: it is long
 * enough that a healthy HSM slowed by a loaded machine does not trip it.
 */
class StalledHsmTest {

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(3)
            .options(o -> o.requestTimeout(Duration.ofSeconds(30))
                    .attemptTimeout(ATTEMPT_TIMEOUT)
                    .keepaliveInterval(Duration.ofMinutes(5))
                    // Timeouts are failures, which open the stalled HSM's breaker; slow answers from the
                    // healthy HSMs on a busy machine must not open theirs.
                    .breaker(b -> b.slidingWindowSize(10).minimumNumberOfCalls(5)
                            .slowCallDurationThreshold(Duration.ofMinutes(1))
                            .waitDurationInOpenState(Duration.ofMinutes(5))))
            .build();

    @Test
    void requestsTimeOutOnTheStalledHsmMoveElsewhereAndItsBreakerOpens(LocalCluster cluster,
            ReactorHsmConnector connector, Slot slot, SlotSession session) throws Exception {
        Internals.awaitLoginEverywhere(slot);
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
        AtomicInteger mostInFlightOnStalledWhileClosed = new AtomicInteger();
        try {
            Long ok = Flux.range(0, 400)
                    .flatMap(i -> {
                        long start = System.nanoTime();
                        return session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                                .doOnNext(s -> {
                                    slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                                    mostInFlightOnStalledWhileClosed.accumulateAndGet(inFlightOn(stalledAddress), Math::max);
                                });
                    }, 32)
                    .count()
                    .block(Duration.ofSeconds(60));
            assertThat(ok).as("every sign succeeded, moved off the stalled HSM").isEqualTo(400);
            assertThat(opened.await(30, TimeUnit.SECONDS)).as("breaker of the stalled HSM opened").isTrue();
            // Some requests did wait for the stalled HSM: at least one attempt timeout.
            assertThat(Duration.ofNanos(slowest.get())).isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT);
            // ...and the sampling below does see requests waiting on the stalled HSM while they can go there.
            assertThat(mostInFlightOnStalledWhileClosed.get()).isPositive();
            // With its breaker open the stalled HSM gets no more requests. A request sent to it would
            // stay in flight there until its attempt timed out, so it would be seen in the samples
            // taken as the other requests complete; requests that never go there leave it at zero.
            Await.until("the attempts on the stalled HSM to end", Duration.ofSeconds(30),
                    () -> inFlightOn(stalledAddress) == 0);
            AtomicInteger mostInFlightOnStalled = new AtomicInteger();
            Long quick = Flux.range(0, 200)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .doOnNext(s -> mostInFlightOnStalled.accumulateAndGet(inFlightOn(stalledAddress), Math::max)), 32)
                    .count()
                    .block(Duration.ofSeconds(60));
            assertThat(quick).isEqualTo(200);
            assertThat(mostInFlightOnStalled).as("requests sent to the stalled HSM after its breaker opened").hasValue(0);
        } finally {
            stalled.faults().stall(false);
            events.dispose();
        }
    }

    private static int inFlightOn(HsmAddress hsm) {
        return multislot.slot().health().hsms().stream()
                .filter(h -> h.address().equals(hsm))
                .mapToInt(SlotHealth.HsmHealth::inFlight)
                .sum();
    }
}
