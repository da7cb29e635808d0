package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that connect and say nothing, sit idle, come in too many or never read their answers
 * (issue 18, items 3 and 4): real TLS clients against a real local HSM, with short configured limits.
 */
class ConnectionLimitsTest {

    private static final long WAIT_SECONDS = 20;

    private LocalCluster cluster;
    private final List<TestHsmClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(TestHsmClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private LocalCluster start(ConnectionLimits limits) {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).connectionLimits(limits).build());
        return cluster;
    }

    private TestHsmClient connect() {
        TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()));
        clients.add(c);
        return c;
    }

    private TestHsmClient loggedIn() {
        TestHsmClient c = TestHsmClient.loggedIn(cluster, 0);
        clients.add(c);
        return c;
    }

    @Test
    void aConnectionThatCompletesTlsAndSaysNothingIsClosedAtTheLoginTimeout() throws Exception {
        start(ConnectionLimits.DEFAULTS.withLoginTimeout(Duration.ofMillis(300)));
        TestHsmClient silent = connect();
        TestHsmClient helloOnly = TestHsmClient.open(cluster.hsm(0).host(), cluster.hsm(0).port(),
                TestHsmClient.trusting(cluster.caFile()));
        clients.add(helloOnly);
        helloOnly.send(new Request.Hello(dev.multislot.protocol.ProtocolConstants.VERSION, "says-hello-only"));

        silent.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        helloOnly.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(cluster.hsm(0).stats().connectionsTimedOut()).isEqualTo(2);
    }

    @Test
    void aConnectionThatLoggedInOutlivesTheLoginTimeout() throws Exception {
        // Long enough to log in on a loaded machine; the silent connection shows when it has passed.
        start(ConnectionLimits.DEFAULTS.withLoginTimeout(Duration.ofSeconds(5)));
        TestHsmClient user = loggedIn();
        TestHsmClient silent = connect();

        silent.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(user.send(new Request.Ping(new byte[] {1})).get(WAIT_SECONDS, TimeUnit.SECONDS).response())
                .isInstanceOf(Response.Bytes.class);
        assertThat(cluster.hsm(0).stats().connectionsTimedOut()).isEqualTo(1);
    }

    @Test
    void anIdleConnectionIsClosedAtTheIdleTimeout() throws Exception {
        start(ConnectionLimits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)));
        TestHsmClient idle = loggedIn();

        idle.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(cluster.hsm(0).stats().connectionsTimedOut()).isEqualTo(1);
    }

    @Test
    void connectionsOverTheCapAreResetAtAccept() throws Exception {
        start(ConnectionLimits.DEFAULTS.withMaxConnectionsPerHsm(2));
        loggedIn();
        loggedIn();
        try {
            TestHsmClient third = TestHsmClient.open(cluster.hsm(0).host(), cluster.hsm(0).port(),
                    TestHsmClient.trusting(cluster.caFile()));
            clients.add(third);
            third.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IllegalStateException e) {
            // The reset can come before the client has seen its connect complete: refused either way.
            assertThat(e).hasRootCauseInstanceOf(java.net.SocketException.class);
        }

        assertThat(cluster.hsm(0).stats().connectionsRefused()).isEqualTo(1);
        assertThat(cluster.hsm(0).stats().activeConnections()).isEqualTo(2);
    }

    @Test
    void aClientThatDoesNotReadIsNotAnsweredWithoutBoundThenGetsEveryAnswerOnceItReads() throws Exception {
        start(ConnectionLimits.DEFAULTS.withMaxPendingAnswerBytes(256 * 1024));
        TestHsmClient greedy = loggedIn();
        greedy.reading(false);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            requests.add(new Request.Random(65536));
        }

        List<CompletableFuture<ResponseFrame>> answers = greedy.sendAll(requests);
        Await.until("the HSM to hold requests back", Duration.ofSeconds(WAIT_SECONDS), () -> cluster.hsm(0).stats().requestsHeldBack() > 0);

        // Without the budget all 1,024 answers (64 MiB) were computed and queued for a client that reads nothing.
        long answeredWhileNotReading = cluster.hsm(0).stats().requestsServed();
        assertThat(answeredWhileNotReading).as("answers written while the client read nothing").isLessThan(512);

        greedy.reading(true);
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(answers).allSatisfy(a -> assertThat(((Response.Bytes) a.join().response()).value()).hasSize(65536));
    }
}
