package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request timeout bounds every request; a state change that timed out is reported as unknown.
 * On virtual time: the timeouts are thirty and ten seconds long, and pass when the test
 * moves the connector's clock, so the bounds below are exact to one step instead of tenfold.
 */
class RequestTimeoutTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** How far past a deadline the clock may have moved when the test looks: one step. */
    private static final Duration STEP = Duration.ofSeconds(1);

    private static final VirtualClock time = new VirtualClock();

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder()
            .options(o -> o.requestTimeout(REQUEST_TIMEOUT)
                    .attemptTimeout(ATTEMPT_TIMEOUT)
                    // Attempts alone could take 1000 s: only the request timeout ends a request sooner.
                    .maxAttempts(100)
                    .keepaliveInterval(Duration.ofHours(2))
                    .breaker(b -> b.slidingWindowSize(1000).minimumNumberOfCalls(1000)))
            .connector(b -> b.timer(time.scheduler()))
            .closeGracePeriod(Duration.ZERO)
            .build();

    @Test
    void signOnAStalledHsmFailsWithHsmTimeoutWithinTheRequestTimeout(LocalCluster cluster, Slot slot,
            SlotSession session) throws Exception {
        Internals.awaitLoginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "timeout").block(Duration.ofSeconds(10));
        cluster.hsm(0).faults().stall(true);
        try {
            Duration start = time.now();
            Throwable signError = time.advanceUntilDone(
                    session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).toFuture(),
                    REQUEST_TIMEOUT.plus(STEP));
            Duration took = time.now().minus(start);
            assertThat(signError).isInstanceOfAny(HsmTimeoutException.class, SlotUnavailableException.class)
                    .hasMessageContaining(cluster.clusterId());
            // Not before an attempt timed out, and not after the request timeout: far below what 100 attempts take.
            assertThat(took).isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT).isLessThanOrEqualTo(REQUEST_TIMEOUT.plus(STEP));

            // A state change is never repeated once written: after its attempt times out, the outcome is unknown.
            start = time.now();
            Throwable generateError = time.advanceUntilDone(
                    session.generateKey(KeyType.AES_256, "never-answered").toFuture(), REQUEST_TIMEOUT.plus(STEP));
            assertThat(generateError).isInstanceOf(HsmOutcomeUnknownException.class)
                    .hasMessageContaining("GENERATE_KEY")
                    .hasCauseInstanceOf(HsmTimeoutException.class);
            assertThat(time.now().minus(start)).isGreaterThanOrEqualTo(ATTEMPT_TIMEOUT)
                    .isLessThanOrEqualTo(REQUEST_TIMEOUT.plus(STEP));
        } finally {
            cluster.hsm(0).faults().stall(false);
        }
        assertThat(Internals.pending(slot)).isZero();
    }
}
