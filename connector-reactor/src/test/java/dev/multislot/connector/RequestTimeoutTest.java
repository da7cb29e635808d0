package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The request timeout bounds every request; a state change that timed out is reported as unknown. */
class RequestTimeoutTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(800);

    private static LocalCluster cluster;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
        connector = Clusters.connect(Clusters.testOptions()
                .requestTimeout(REQUEST_TIMEOUT)
                .attemptTimeout(Duration.ofMillis(300))
                .maxAttempts(10)
                .keepaliveInterval(Duration.ofMinutes(5))
                .breaker(b -> b.slidingWindowSize(1000).minimumNumberOfCalls(1000))
                .build(), Clusters.config(cluster));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
        cluster.close();
    }

    @Test
    void signOnAStalledHsmFailsWithHsmTimeoutWithinTheRequestTimeout() {
        Slot slot = connector.slots().get(0);
        SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "timeout").block();
        cluster.hsm(0).faults().stall(true);
        try {
            long start = System.nanoTime();
            StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfAny(HsmTimeoutException.class,
                                    dev.multislot.api.errors.SlotUnavailableException.class)
                            .hasMessageContaining(cluster.clusterId()))
                    .verify(Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(REQUEST_TIMEOUT.multipliedBy(5));

            // With more time than attempts, the whole request timeout is spent, then HsmTimeoutException.
            StepVerifier.create(session.generateKey(KeyType.AES_256, "never-answered"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HsmOutcomeUnknownException.class)
                            .hasMessageContaining("GENERATE_KEY")
                            .hasCauseInstanceOf(HsmTimeoutException.class))
                    .verify(Duration.ofSeconds(10));
        } finally {
            cluster.hsm(0).faults().stall(false);
        }
        assertThat(Internals.pending(slot)).isZero();
    }
}
