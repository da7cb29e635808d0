package dev.multislot.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.local.controlplane.AwsJsonClient.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ControlPlaneFaultsTest {

    private LocalControlPlane cp;
    private AwsJsonClient client;

    @BeforeEach
    void start() {
        cp = LocalControlPlane.start();
        client = new AwsJsonClient(cp.endpoint());
        cp.putCluster(ControlPlaneCluster.active("cluster-a", "us-east-1"));
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    @Test
    void injectedErrorsAnswerTheNextRequestsThenItRecovers() {
        cp.failNext(2, "ThrottlingException", 400);

        Answer first = client.describe("us-east-1", "{}");
        Answer second = client.describe("us-east-1", "{}");
        Answer third = client.describe("us-east-1", "{}");

        for (Answer a : List.of(first, second)) {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.type()).isEqualTo("ThrottlingException");
            assertThat(a.errorTypeHeader()).isEqualTo("ThrottlingException");
            assertThat(a.body().path("message").asText()).isNotBlank();
        }
        assertThat(third.status()).isEqualTo(200);
        assertThat(cp.pendingFailures()).isZero();

        cp.failNext(1, "CloudHsmInternalFailureException", 500);
        Answer internal = client.describe("us-east-1", "{}");
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.type()).isEqualTo("CloudHsmInternalFailureException");
    }

    @Test
    void badInjectionsAreRefusedAtOnce() {
        assertThatThrownBy(() -> cp.failNext(-1, "ThrottlingException", 400)).hasMessageContaining("-1");
        assertThatThrownBy(() -> cp.failNext(1, "ThrottlingException", 200)).hasMessageContaining("200");
        assertThatThrownBy(() -> cp.latency(Duration.ofMillis(-5))).hasMessageContaining("-");
        assertThatThrownBy(() -> cp.pageSize(0)).hasMessageContaining("0");
    }

    @Test
    void latencyDelaysEveryAnswerWithoutSerialisingThem() {
        Duration latency = Duration.ofMillis(300);
        cp.latency(latency);
        int requests = 10;

        long start = System.nanoTime();
        List<Answer> answers = Flux.range(0, requests)
                .flatMap(i -> client.call(AwsJsonClient.DESCRIBE, "us-east-1", "{}"), requests)
                .collectList()
                .block(Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answers).hasSize(requests).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(took).isGreaterThanOrEqualTo(latency);
        // Ten answers delayed one after the other would take ten times the latency.
        assertThat(took).isLessThan(latency.multipliedBy(requests));
        assertThat(cp.peakConcurrentRequests()).isGreaterThan(1);
    }

    @Test
    void recordsWhatEachRequestCarried() {
        client.describe("eu-west-1", "{\"Filters\":{\"clusterIds\":[\"cluster-a\"]}}");
        client.call("BaldrApiService.ListTags", "us-east-1", "{}").block();

        List<RecordedRequest> seen = cp.requests();
        assertThat(seen).hasSize(2);
        RecordedRequest describe = seen.get(0);
        assertThat(describe.target()).isEqualTo("BaldrApiService.DescribeClusters");
        assertThat(describe.region()).isEqualTo("eu-west-1");
        assertThat(describe.body().path("Filters").path("clusterIds").get(0).asText()).isEqualTo("cluster-a");
        assertThat(describe.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(seen.get(1).target()).isEqualTo("BaldrApiService.ListTags");
        assertThat(cp.describeClustersRequests()).containsExactly(describe);

        cp.clearRequests();
        assertThat(cp.requests()).isEmpty();
    }
}
