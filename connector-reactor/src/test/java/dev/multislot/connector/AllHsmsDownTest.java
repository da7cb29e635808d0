package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every HSM of a slot failing: once their breakers are open, requests fail fast.
 *
 * <p>On virtual time. The attempt timeouts that open the breakers pass when the test moves the
 * connector's clock; "fast" is then shown twice: by the errors themselves (each HSM refused by its
 * breaker, so no attempt was made) and by 200 requests all ending while the clock stands still,
 * which a request waiting for an HSM's answer or for a timeout could not do: it would never end.
 */
class AllHsmsDownTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final VirtualClock time = new VirtualClock();

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            .options(o -> o.requestTimeout(REQUEST_TIMEOUT)
                    // On the stalled HSMs it is what fails the requests that open the breakers.
                    .attemptTimeout(Duration.ofSeconds(1))
                    .maxAttempts(2)
                    .keepaliveInterval(Duration.ofMinutes(5))
                    .breaker(b -> b.slidingWindowSize(10).minimumNumberOfCalls(5)
                            .waitDurationInOpenState(Duration.ofSeconds(60))))
            .connector(b -> b.timer(time.scheduler()))
            .closeGracePeriod(Duration.ZERO)
            .build();

    @Test
    void onceEveryBreakerIsOpenRequestsFailFastWithSlotUnavailable(LocalCluster cluster, ReactorHsmConnector connector,
            Slot slot, SlotSession session) throws Exception {
        Internals.awaitLoginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "down").block();
        Set<Object> open = ConcurrentHashMap.newKeySet();
        CountDownLatch allOpen = new CountDownLatch(1);
        Disposable events = connector.events().subscribe(e -> {
            if (e instanceof SlotEvent.BreakerStateChanged b && b.to() == BreakerState.OPEN && open.add(b.hsm())
                    && open.size() == 2) {
                allOpen.countDown();
            }
        });
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            // Requests time out until both breakers have seen enough failures to open.
            CompletableFuture<Void> opening = Flux.range(0, 40)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .onErrorResume(e -> Mono.empty()), 20)
                    .then().toFuture();
            assertThat(time.advanceUntilDone(opening, REQUEST_TIMEOUT)).isNull();
            assertThat(allOpen.await(30, TimeUnit.SECONDS)).as("both breakers opened").isTrue();
            assertThat(slot.health().hsms()).allMatch(h -> h.breaker() == BreakerState.OPEN);

            // The clock stands still from here: a request that waited for an answer or a timeout would never end.
            List<Throwable> errors = Flux.range(0, 200)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .<Throwable>map(v -> new AssertionError("a sign succeeded"))
                            .onErrorResume(Mono::just), 50)
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(errors).hasSize(200).allMatch(e -> e instanceof SlotUnavailableException);
            SlotUnavailableException first = (SlotUnavailableException) errors.get(0);
            assertThat(first.errors()).hasSize(2);
            assertThat(first.errors().values()).allMatch(e -> e instanceof HsmBreakerOpenException refusal
                    && refusal.breakerState() == BreakerState.OPEN && e.getMessage().contains("circuit breaker open"));
            assertThat(Internals.pending(slot)).isZero();
        } finally {
            cluster.hsms().forEach(h -> h.faults().stall(false));
            events.dispose();
        }
    }
}
