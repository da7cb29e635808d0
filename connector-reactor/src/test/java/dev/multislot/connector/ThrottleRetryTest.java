package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** "Busy" answers: retried with backoff in STANDARD mode, surfaced at once in OFF mode. */
class ThrottleRetryTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        // One HSM that runs one crypto operation at a time and answers HSM_BUSY to the others.
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).maxConcurrentOperations(1).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void busyAnswersAreRetriedWithBackoffUntilTheySucceed() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                .retryMode(RetryMode.STANDARD)
                .maxAttempts(100)
                .retryBackoff(Duration.ofMillis(2))
                .retryBackoffMax(Duration.ofMillis(50))
                // Busy answers count as breaker failures; with a single HSM this test keeps it closed.
                .breaker(b -> b.slidingWindowSize(100_000).minimumNumberOfCalls(100_000))
                .build(), Clusters.config(cluster))) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "throttle").block();
            long busyBefore = cluster.hsm(0).stats().busyAnswers();
            List<byte[]> macs = Flux.range(0, 200)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {i.byteValue()}), 32)
                    .collectList()
                    .block(Duration.ofSeconds(60));
            assertThat(macs).hasSize(200);
            assertThat(cluster.hsm(0).stats().busyAnswers() - busyBefore)
                    .as("the HSM did answer busy, and the connector retried").isPositive();
        }
    }

    @Test
    void withRetriesOffTheCallerSeesHsmThrottledExceptionAtOnce() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                .retryMode(RetryMode.OFF)
                .build(), Clusters.config(cluster))) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "no-retry").block();
            long busyBefore = cluster.hsm(0).stats().busyAnswers();
            cluster.hsm(0).faults().busy(true);
            try {
                StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HsmThrottledException.class)
                                .hasMessageContaining(cluster.clusterId()).hasMessageContaining("HSM_BUSY"))
                        .verify(Duration.ofSeconds(5));
            } finally {
                cluster.hsm(0).faults().busy(false);
            }
            assertThat(cluster.hsm(0).stats().busyAnswers() - busyBefore).as("exactly one attempt").isEqualTo(1);
        }
    }

    @Test
    void aHsmThatStaysBusyFailsAfterMaxAttempts() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                .maxAttempts(4)
                .retryBackoff(Duration.ofMillis(1))
                .retryBackoffMax(Duration.ofMillis(10))
                .build(), Clusters.config(cluster))) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "stays-busy").block();
            long busyBefore = cluster.hsm(0).stats().busyAnswers();
            cluster.hsm(0).faults().busy(true);
            try {
                StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HsmThrottledException.class)
                                .hasMessageContaining("4 attempts"))
                        .verify(Duration.ofSeconds(5));
            } finally {
                cluster.hsm(0).faults().busy(false);
            }
            assertThat(cluster.hsm(0).stats().busyAnswers() - busyBefore).isEqualTo(4);
        }
    }
}
