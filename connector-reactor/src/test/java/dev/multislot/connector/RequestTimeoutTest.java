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

    /** Both long enough that login and key generation on a busy machine never meet them. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);

    private static LocalCluster cluster;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
        connector = Clusters.connect(Clusters.testOptions()
                .requestTimeout(REQUEST_TIMEOUT)
                .attemptTimeout(ATTEMPT_TIMEOUT)
                // Attempts alone could take 100 s: only the request timeout ends a request sooner.
                .maxAttempts(100)
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
        SlotSession session = Internals.loginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "timeout").block();
        cluster.hsm(0).faults().stall(true);
        try {
            long start = System.nanoTime();
            StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfAny(HsmTimeoutException.class,
                                    dev.multislot.api.errors.SlotUnavailableException.class)
                            .hasMessageContaining(cluster.clusterId()))
                    .verify(REQUEST_TIMEOUT.multipliedBy(20));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // Not before an attempt timed out; and bounded by the request timeout (ten times it, for a loaded
            // machine), far below what 100 attempts take.
            assertThat(took).isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT).isLessThan(REQUEST_TIMEOUT.multipliedBy(10));

            // With more time than attempts, the whole request timeout is spent, then HsmTimeoutException.
            StepVerifier.create(session.generateKey(KeyType.AES_256, "never-answered"))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HsmOutcomeUnknownException.class)
                            .hasMessageContaining("GENERATE_KEY")
                            .hasCauseInstanceOf(HsmTimeoutException.class))
                    .verify(REQUEST_TIMEOUT.multipliedBy(20));
        } finally {
            cluster.hsm(0).faults().stall(false);
        }
        assertThat(Internals.pending(slot)).isZero();
    }
}
