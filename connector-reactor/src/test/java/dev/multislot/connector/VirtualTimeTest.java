package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The builder's timer is the connector's one source of time: with a {@link VirtualTimeScheduler},
 * a request timeout of a minute and a breaker wait of an hour pass when the test says so, on real
 * TLS connections to a real (stalled) HSM, with no real waiting.
 */
class VirtualTimeTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);

    @Test
    void aMinuteLongRequestTimeoutAndAnHourLongBreakerWaitPassOnVirtualTime() throws Exception {
        VirtualClock time = new VirtualClock();
        try (LocalCluster cluster = Clusters.start(1)) {
            ReactorHsmConnector connector = time.connect(Clusters.testOptions()
                    .requestTimeout(REQUEST_TIMEOUT)
                    .attemptTimeout(Duration.ofSeconds(20))
                    .maxAttempts(100)
                    .keepaliveInterval(Duration.ofHours(2))
                    .breaker(b -> b.waitDurationInOpenState(Duration.ofHours(1)))
                    .build(), Clusters.config(cluster));
            try {
                SlotSession session = Internals.loginEverywhere(connector.slots().get(0));
                KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "virtual").block(Duration.ofSeconds(10));
                cluster.hsm(0).faults().stall(true);
                long realStart = System.nanoTime();

                CompletableFuture<byte[]> stalled = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1))
                        .toFuture();
                Throwable error = time.advanceUntilDone(stalled, REQUEST_TIMEOUT.plusSeconds(1));
                assertThat(error).isInstanceOfAny(HsmTimeoutException.class, SlotUnavailableException.class)
                        .hasMessageContaining(cluster.clusterId());
                assertThat(Duration.ofNanos(System.nanoTime() - realStart)).as("real time spent")
                        .isLessThan(REQUEST_TIMEOUT);

                // The breaker waits on the same time: opened now, it lets a probe through only
                // once an hour has passed on the virtual clock.
                cluster.hsm(0).faults().stall(false);
                CircuitBreaker breaker = connector.circuitBreakerRegistry().getAllCircuitBreakers().iterator().next();
                breaker.transitionToOpenState();
                Throwable refused = time.advanceUntilDone(
                        session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(2)).toFuture(), Duration.ZERO);
                assertThat(refused).isInstanceOf(SlotUnavailableException.class);
                assertThat(((SlotUnavailableException) refused).errors().values())
                        .hasOnlyElementsOfType(HsmBreakerOpenException.class);
                time.advance(Duration.ofHours(1).plusSeconds(1));
                assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(3)).block(Duration.ofSeconds(10)))
                        .as("after the breaker's virtual hour, a probe goes through").isNotEmpty();
                assertThat(breaker.getState()).isIn(CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
            } finally {
                connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
            }
        }
    }
}
