package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.local.faults.Direction;
import dev.multislot.local.faults.FaultProxy;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, with a raw TLS client in front of one local HSM. */
class FaultProxyTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static TestHsmClient client(FaultProxy proxy) {
        TestHsmClient c = TestHsmClient.open(proxy.host(), proxy.port(), TestHsmClient.trusting(cluster.caFile()));
        c.handshake().syncUninterruptibly();
        return c;
    }

    @Test
    void forwardsBothWaysOverTlsAndCounts() {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
             TestHsmClient c = client(proxy)) {
            assertThat(c.hello().hsmId()).isEqualTo(cluster.hsm(0).hsmId());
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.openConnections()).isEqualTo(1);
            assertThat(proxy.bytesForwarded(Direction.TO_HSM)).isPositive();
            assertThat(proxy.bytesForwarded(Direction.TO_CLIENT)).isPositive();
        }
    }

    @Test
    void latencyOneByteAndBandwidthStillDeliverEveryAnswer() {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port())) {
            proxy.latency(Duration.ofMillis(5), Duration.ofMillis(5)).oneByteAtATime().bandwidth(64 * 1024);
            try (TestHsmClient c = client(proxy)) {
                c.hello();
                c.login(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD);
                for (int i = 0; i < 20; i++) {
                    assertThat(TestHsmClient.ok(c.call(new Request.Random(64)), Response.Bytes.class).value()).hasSize(64);
                }
            }
        }
    }

    @Test
    void aStallHoldsTheAnswerWithoutClosingAndHealReleasesIt() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
             TestHsmClient c = client(proxy)) {
            c.hello();
            proxy.stall();
            CompletableFuture<ResponseFrame> answer = c.send(new Request.Ping(new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> answer.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(proxy.openConnections()).isEqualTo(1);
            proxy.heal();
            assertThat(answer.get(20, TimeUnit.SECONDS).response()).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void aResetMidFrameEndsTheConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
             TestHsmClient c = client(proxy)) {
            c.hello();
            proxy.resetMidFrame(Direction.TO_CLIENT);
            CompletableFuture<ResponseFrame> answer = c.send(new Request.Ping(new byte[64]));
            c.closeFuture().get(20, TimeUnit.SECONDS);
            assertThat(answer).isNotCompleted();
            assertThat(proxy.resets()).isEqualTo(1);
        }
    }

    @Test
    void aHalfCloseEndsTheClientsStream() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
             TestHsmClient c = client(proxy)) {
            c.hello();
            proxy.halfClose();
            c.closeFuture().get(20, TimeUnit.SECONDS);
            assertThat(proxy.halfCloses()).isEqualTo(1);
        }
    }

    @Test
    void aFlippedByteBreaksTheTlsRecordItLandsIn() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(cluster.hsm(0).host(), cluster.hsm(0).port());
             TestHsmClient c = client(proxy)) {
            c.hello();
            proxy.flipNextByte(Direction.TO_CLIENT);
            CompletableFuture<ResponseFrame> answer = c.send(new Request.Ping(new byte[16]));
            c.closeFuture().get(20, TimeUnit.SECONDS);
            assertThat(answer.isDone() && !answer.isCompletedExceptionally()).as("answered despite the flip").isFalse();
            assertThat(proxy.bytesFlipped()).isEqualTo(1);
        }
    }

    @Test
    void refusesAnythingButLoopback() {
        assertThatThrownBy(() -> FaultProxy.start("192.0.2.1", 2223)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
