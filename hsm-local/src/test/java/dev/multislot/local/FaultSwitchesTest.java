package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.protocol.ProtocolViolationException;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.WireKeyType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault switch does what it says to its own HSM only, and the HSM recovers when it is switched off. */
class FaultSwitchesTest {

    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).port(0).build());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void resetFaults() {
        cluster.hsms().forEach(h -> {
            h.faults().reset();
            h.start();
        });
    }

    @Test
    void aDelayedHsmLacksKeysMadeElsewhereUntilTheDelayEnds() {
        try (TestHsmClient a = TestHsmClient.loggedIn(cluster, 0); TestHsmClient b = TestHsmClient.loggedIn(cluster, 1)) {
            cluster.hsm(1).faults().delayKeyReplication(true);
            assertThat(cluster.hsm(1).faults().isDelayingKeyReplication()).isTrue();
            Response.KeyInfo key = (Response.KeyInfo) a.call(new Request.GenerateKey(WireKeyType.HMAC_SHA256, "late"));

            assertThat(a.call(new Request.GetKey(key.handle()))).isInstanceOf(Response.KeyInfo.class);
            Response missing = b.call(new Request.GetKey(key.handle()));
            assertThat(missing).isInstanceOf(Response.Error.class);
            assertThat(((Response.Error) missing).status()).isEqualTo(dev.multislot.protocol.Status.KEY_HANDLE_INVALID);
            assertThat(((Response.Error) b.call(new Request.Sign(key.handle(), dev.multislot.protocol.Mechanism.HMAC_SHA256,
                    new byte[] {1}))).status()).isEqualTo(dev.multislot.protocol.Status.KEY_HANDLE_INVALID);
            assertThat(((Response.KeyList) b.call(new Request.FindKeys(java.util.Optional.of("late")))).keys()).isEmpty();
            // A key made on the delayed HSM itself is there at once, and on the others too.
            Response.KeyInfo own = (Response.KeyInfo) b.call(new Request.GenerateKey(WireKeyType.HMAC_SHA256, "own"));
            assertThat(a.call(new Request.GetKey(own.handle()))).isInstanceOf(Response.KeyInfo.class);

            cluster.hsm(1).faults().delayKeyReplication(false);
            assertThat(b.call(new Request.GetKey(key.handle()))).isInstanceOf(Response.KeyInfo.class);
            assertThat(((Response.KeyList) b.call(new Request.FindKeys(java.util.Optional.of("late")))).keys()).hasSize(1);
        }
    }

    @Test
    void stalledHsmReadsButNeverAnswers() {
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0); TestHsmClient other = TestHsmClient.loggedIn(cluster, 1)) {
            cluster.hsm(0).faults().stall(true);
            CompletableFuture<ResponseFrame> ping = c.send(new Request.Ping(new byte[] {1}));
            // The other HSM answers meanwhile; by then the stalled one has long read the ping.
            assertThat(other.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
            assertThat(ping).failsWithin(Duration.ofMillis(300));
            assertThat(c.isOpen()).isTrue();
            cluster.hsm(0).faults().stall(false);
            assertThat(c.call(new Request.Ping(new byte[] {2}))).isInstanceOf(Response.Bytes.class);
            assertThat(ping).isNotDone();
        }
    }

    @Test
    void refusedConnectionsAreResetAndExistingOnesKeepWorking() {
        try (TestHsmClient existing = TestHsmClient.loggedIn(cluster, 0)) {
            cluster.hsm(0).faults().refuseConnections(true);
            assertThatThrownBy(() -> TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile())))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(existing.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
            cluster.hsm(0).faults().refuseConnections(false);
            try (TestHsmClient again = TestHsmClient.loggedIn(cluster, 0)) {
                assertThat(again.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
            }
        }
    }

    @Test
    void dropConnectionsClosesEveryConnectionOfThatHsmOnly() {
        try (TestHsmClient a = TestHsmClient.loggedIn(cluster, 0); TestHsmClient b = TestHsmClient.loggedIn(cluster, 0);
                TestHsmClient other = TestHsmClient.loggedIn(cluster, 1)) {
            cluster.hsm(0).faults().dropConnections();
            assertThat(a.awaitClosed()).isTrue();
            assertThat(b.awaitClosed()).isTrue();
            assertThat(other.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
            try (TestHsmClient again = TestHsmClient.loggedIn(cluster, 0)) {
                assertThat(again.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
            }
        }
    }

    @Test
    void corruptNextResponseSendsOneUndecodableFrame() {
        try (TestHsmClient bad = TestHsmClient.loggedIn(cluster, 0)) {
            cluster.hsm(0).faults().corruptNextResponse();
            CompletableFuture<ResponseFrame> r = bad.send(new Request.Random(4));
            assertThat(bad.awaitClosed()).isTrue(); // the client's decoder refuses it and closes
            assertThat(r).isCompletedExceptionally();
            assertThat(bad.failure.get()).isInstanceOf(ProtocolViolationException.class);
        }
        try (TestHsmClient next = TestHsmClient.loggedIn(cluster, 0)) {
            assertThat(next.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void stoppedHsmComesBackOnTheSameAddressWithTheClustersKeys() {
        LocalHsm hsm = cluster.hsm(0);
        String host = hsm.host();
        int port = hsm.port();
        long key;
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            key = TestHsmClient.ok(c.call(new Request.GenerateKey(WireKeyType.AES_256, "survives")),
                    Response.KeyInfo.class).handle();
            hsm.stop();
            assertThat(hsm.isRunning()).isFalse();
            assertThat(c.awaitClosed()).as("a stop closes connections like a crash").isTrue();
        }
        assertThatThrownBy(() -> TestHsmClient.open(host, port, TestHsmClient.trusting(cluster.caFile())))
                .hasMessageContaining("cannot connect");
        try (TestHsmClient other = TestHsmClient.loggedIn(cluster, 1)) {
            assertThat(other.call(new Request.GetKey(key))).isInstanceOf(Response.KeyInfo.class);
        }

        hsm.start();
        assertThat(hsm.isRunning()).isTrue();
        assertThat(hsm.host()).isEqualTo(host);
        assertThat(hsm.port()).isEqualTo(port);
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            assertThat(c.call(new Request.GetKey(key))).isInstanceOf(Response.KeyInfo.class);
        }
        hsm.stop();
        hsm.stop(); // idempotent
        hsm.start();
        hsm.start();
        assertThat(hsm.isRunning()).isTrue();
    }

    @Test
    void statsCountConnectionsAndAnswers() {
        LocalHsm hsm = cluster.hsm(1);
        long served = hsm.stats().requestsServed();
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 1)) {
            c.call(new Request.Random(4));
            assertThat(hsm.stats().activeConnections()).isPositive();
            assertThat(hsm.stats().requestsServed()).isGreaterThanOrEqualTo(served + 3); // hello, login, random
        }
    }
}
