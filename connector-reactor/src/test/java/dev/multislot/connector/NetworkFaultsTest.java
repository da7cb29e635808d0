package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.faults.Direction;
import dev.multislot.local.faults.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Network faults between the connector and one HSM of two, through hsm-local's {@link FaultProxy}
 * (real TLS, the connector's own options): under each fault every request ends exactly once with a
 * value or a typed error, safe requests that the faulty path fails move to the other HSM, and once
 * the fault is healed the faulty HSM serves requests again.
 */
class NetworkFaultsTest {

    private static final int REQUESTS = 300;
    private static final int CONCURRENCY = 16;
    private static final Duration BOUND = Duration.ofSeconds(90);

    private static LocalCluster cluster;
    private static FaultProxy faulty;
    private static FaultProxy clean;
    private static ReactorHsmConnector connector;
    private static SlotSession session;
    private static KeyRef key;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
        faulty = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
        clean = FaultProxy.start(cluster.hsm(1).host(), cluster.hsm(1).port());
        ClusterConfig config = new ClusterConfig(ClusterId.of(cluster.clusterId()), Optional.of("us-east-1"),
                cluster.caFile(), List.of(new ServerConfig(faulty.host(), faulty.port(), true),
                        new ServerConfig(clean.host(), clean.port(), true)), Optional.empty(), Optional.empty());
        connector = Clusters.connect(Clusters.testOptions()
                .requestTimeout(Duration.ofSeconds(30))
                .attemptTimeout(Duration.ofSeconds(2))
                .keepaliveInterval(Duration.ofMinutes(5))
                .breaker(b -> b.slidingWindowSize(10).minimumNumberOfCalls(5)
                        .slowCallDurationThreshold(Duration.ofMinutes(1))
                        .waitDurationInOpenState(Duration.ofMillis(300)))
                .build(), config);
        session = Internals.loginEverywhere(connector.slot(ClusterId.of(cluster.clusterId())).orElseThrow());
        key = session.generateKey(KeyType.HMAC_SHA256, "faults").block(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        faulty.close();
        clean.close();
        cluster.close();
    }

    @AfterEach
    void healAndRecover() {
        faulty.heal();
        long servedBefore = cluster.hsm(0).stats().requestsServed();
        HsmAddress faultyAddress = HsmAddress.of(faulty.host(), faulty.port());
        // Bounded batches until the healed HSM answers again through the proxy, its breaker closed.
        for (int batch = 0; batch < 200; batch++) {
            signs(50).assertEachEndedExactlyOnce().assertAllSucceeded();
            if (cluster.hsm(0).stats().requestsServed() > servedBefore && usable(faultyAddress)) {
                return;
            }
        }
        throw new AssertionError("the healed HSM did not serve again: " + connector.slot(ClusterId.of(cluster.clusterId()))
                .orElseThrow().health());
    }

    @Test
    void latencyAndJitterSlowRequestsDownButEveryOneSucceeds() {
        faulty.latency(Duration.ofMillis(20), Duration.ofMillis(30));
        long before = faulty.bytesForwarded(Direction.TO_CLIENT);
        signs(REQUESTS).assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.bytesForwarded(Direction.TO_CLIENT)).as("answers came through the slow path").isGreaterThan(before);
    }

    @Test
    void aBandwidthCapSlowsRequestsDownButEveryOneSucceeds() {
        faulty.bandwidth(16 * 1024);
        signs(REQUESTS).assertEachEndedExactlyOnce().assertAllSucceeded();
    }

    @Test
    void responsesArrivingOneByteAtATimeAreReassembled() {
        faulty.oneByteAtATime();
        long before = faulty.bytesForwarded(Direction.TO_CLIENT);
        signs(REQUESTS).assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.bytesForwarded(Direction.TO_CLIENT)).isGreaterThan(before);
    }

    @Test
    void aStallWithoutCloseTimesAttemptsOutAndMovesThemToTheOtherHsm() {
        faulty.stall();
        FaultRun run = signs(REQUESTS).assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.openConnections()).as("the stall closed nothing").isPositive();
        assertThat(run.values.get()).isEqualTo(REQUESTS);
    }

    @Test
    void aResetInTheMiddleOfAResponseFailsOverTheRequestsItCut() {
        long resetsBefore = faulty.resets();
        FaultRun.of(REQUESTS, CONCURRENCY, i -> sign(i), REQUESTS / 4, () -> faulty.resetMidFrame(Direction.TO_CLIENT), BOUND)
                .assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.resets()).as("connections reset mid-frame").isGreaterThan(resetsBefore);
    }

    @Test
    void aResetInTheMiddleOfARequestFailsOverTheRequestsItCut() {
        long resetsBefore = faulty.resets();
        FaultRun.of(REQUESTS, CONCURRENCY, i -> sign(i), REQUESTS / 4, () -> faulty.resetMidFrame(Direction.TO_HSM), BOUND)
                .assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.resets()).isGreaterThan(resetsBefore);
    }

    @Test
    void aHalfCloseTowardTheClientFailsOverTheRequestsItStranded() {
        long before = faulty.halfCloses();
        FaultRun.of(REQUESTS, CONCURRENCY, i -> sign(i), REQUESTS / 4, faulty::halfClose, BOUND)
                .assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.halfCloses()).isGreaterThan(before);
    }

    @Test
    void aFlippedResponseByteFailsOnlyThatConnectionAndItsRequestsMove() {
        long before = faulty.bytesFlipped();
        FaultRun.of(REQUESTS, CONCURRENCY, i -> sign(i), REQUESTS / 4, () -> faulty.flipNextByte(Direction.TO_CLIENT), BOUND)
                .assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.bytesFlipped()).isGreaterThan(before);
    }

    @Test
    void aFlippedRequestByteFailsOnlyThatConnectionAndItsRequestsMove() {
        long before = faulty.bytesFlipped();
        FaultRun.of(REQUESTS, CONCURRENCY, i -> sign(i), REQUESTS / 4, () -> faulty.flipNextByte(Direction.TO_HSM), BOUND)
                .assertEachEndedExactlyOnce().assertAllSucceeded();
        assertThat(faulty.bytesFlipped()).isGreaterThan(before);
    }

    @Test
    void keyGenerationCutByAResetEndsOnceWithAKeyOrATypedError() {
        // Not safe to retry once sent: each generation ends once, with a key or a typed error, never twice or never.
        FaultRun.of(60, 8, i -> session.generateKey(KeyType.HMAC_SHA256, "cut-" + i), 15,
                () -> faulty.resetMidFrame(Direction.TO_CLIENT), BOUND).assertEachEndedExactlyOnce();
    }

    private static FaultRun signs(int n) {
        return FaultRun.of(n, CONCURRENCY, NetworkFaultsTest::sign, 0, () -> { }, BOUND);
    }

    private static reactor.core.publisher.Mono<byte[]> sign(int i) {
        return session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i));
    }

    private static boolean usable(HsmAddress address) {
        return connector.slot(ClusterId.of(cluster.clusterId())).orElseThrow().health().hsms().stream()
                .filter(h -> h.address().equals(address))
                .anyMatch(h -> h.connected() && h.breaker() == BreakerState.CLOSED);
    }
}
