package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Limits answer HSM_BUSY at once instead of queueing without bound. */
class ThrottleTest {

    private static final int SLOW_REQUESTS = 8;

    @Test
    void concurrentSlowOperationsBeyondTheHsmsLimitAreBusy() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .maxConcurrentOperations(1).build());
                TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            // RSA key generation takes far longer than reading 8 pipelined requests.
            List<Status> statuses = statuses(c.sendAll(Collections.nCopies(SLOW_REQUESTS,
                    new Request.GenerateKey(WireKeyType.RSA_2048, "slow"))));
            assertThat(statuses).contains(Status.OK, Status.HSM_BUSY).containsOnly(Status.OK, Status.HSM_BUSY);
            long busy = statuses.stream().filter(s -> s == Status.HSM_BUSY).count();
            assertThat(cluster.hsm(0).stats().busyAnswers()).isEqualTo(busy);
            // Once idle, the HSM serves again.
            assertThat(c.call(new Request.Random(8))).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void requestsBeyondTheConnectionsInFlightLimitAreBusy() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .maxInFlightPerConnection(2).build());
                TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            assertThat(c.hello().maxInFlight()).isEqualTo(2);
            c.login(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD);
            List<Status> statuses = statuses(c.sendAll(Collections.nCopies(SLOW_REQUESTS,
                    new Request.GenerateKey(WireKeyType.RSA_2048, "slow"))));
            assertThat(statuses.stream().filter(s -> s == Status.OK).count()).isBetween(2L, 4L);
            assertThat(statuses).contains(Status.HSM_BUSY);
            // PING is not crypto and is not limited.
            assertThat(c.call(new Request.Ping(new byte[0]))).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void fullWorkerQueueIsBusy() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .workerThreads(1).workerQueueCapacity(1).build());
                TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            long key = TestHsmClient.ok(c.call(new Request.GenerateKey(WireKeyType.EC_P384, "k")), Response.KeyInfo.class)
                    .handle();
            List<Status> statuses = statuses(c.sendAll(Collections.nCopies(50,
                    new Request.Sign(key, Mechanism.ECDSA_SHA384, new byte[64]))));
            assertThat(statuses).contains(Status.OK, Status.HSM_BUSY);
        }
    }

    @Test
    void busySwitchAnswersBusyToCryptoOnly() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build());
                TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            cluster.hsm(0).faults().busy(true);
            assertThat(c.call(new Request.Random(8)).status()).isEqualTo(Status.HSM_BUSY);
            assertThat(c.call(new Request.Ping(new byte[0]))).isInstanceOf(Response.Bytes.class);
            cluster.hsm(0).faults().busy(false);
            assertThat(c.call(new Request.Random(8))).isInstanceOf(Response.Bytes.class);
        }
    }

    private static List<Status> statuses(List<CompletableFuture<ResponseFrame>> futures) {
        return futures.stream().map(TestHsmClient::await).map(ResponseFrame::status).toList();
    }
}
