package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.LocalControlPlane;
import dev.multislot.local.controlplane.RecordedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Clients per region and endpoint, cold calls, batching by region, closing. */
class DiscoveryLifecycleTest {

    @TempDir
    Path home;
    private LocalControlPlane cp;
    private LocalControlPlane other;

    @BeforeEach
    void start() {
        cp = LocalControlPlane.start();
        other = LocalControlPlane.start();
        for (LocalControlPlane p : List.of(cp, other)) {
            p.putCluster(Fixtures.cluster("cluster-east1", "us-east-1"));
            p.putCluster(Fixtures.cluster("cluster-east2", "us-east-1"));
            p.putCluster(Fixtures.cluster("cluster-west1", "eu-west-1"));
        }
    }

    @AfterEach
    void stop() {
        cp.close();
        other.close();
    }

    private AwsClusterDiscovery.Builder discovery() {
        return Fixtures.discovery(RegionResolver.of(Map.of(), home));
    }

    @Test
    void oneClientPerRegionAndEndpointReused() {
        try (AwsClusterDiscovery d = discovery().build()) {
            assertThat(d.clientCount()).isZero();
            d.discover(Fixtures.request("cluster-east1", "us-east-1", cp.endpoint())).block(WAIT);
            d.discover(Fixtures.request("cluster-west1", "eu-west-1", cp.endpoint())).block(WAIT);
            d.discover(Fixtures.request("cluster-east1", "us-east-1", other.endpoint())).block(WAIT);
            d.discover(Fixtures.request("cluster-east2", "us-east-1", cp.endpoint())).block(WAIT);
            assertThat(d.clientCount()).isEqualTo(3);
        }
    }

    @Test
    void nothingIsSentBeforeSubscription() {
        try (AwsClusterDiscovery d = discovery().build()) {
            Mono<DiscoveredCluster> lookup = d.discover(Fixtures.request("cluster-east1", "us-east-1", cp.endpoint()));
            assertThat(cp.requests()).isEmpty();

            StepVerifier.create(lookup).expectNextCount(1).verifyComplete();
            StepVerifier.create(lookup).expectNextCount(1).verifyComplete();
            assertThat(cp.describeClustersRequests()).hasSize(2);
        }
    }

    @Test
    void discoverAllMakesOneCallPerRegionAndAnswersEveryRequest() {
        try (AwsClusterDiscovery d = discovery().build()) {
            List<DiscoveryRequest> requests = List.of(
                    Fixtures.request("cluster-east1", "us-east-1", cp.endpoint()),
                    Fixtures.request("cluster-west1", "eu-west-1", cp.endpoint()),
                    Fixtures.request("cluster-east2", "us-east-1", cp.endpoint()),
                    Fixtures.request("cluster-east1", "us-east-1", cp.endpoint()));

            List<DiscoveredCluster> found = d.discoverAll(requests).collectList().block(WAIT);

            assertThat(found).extracting(c -> c.clusterId().value())
                    .containsExactlyInAnyOrder("cluster-east1", "cluster-west1", "cluster-east2", "cluster-east1");
            List<RecordedRequest> calls = cp.describeClustersRequests();
            assertThat(calls).extracting(RecordedRequest::region).containsExactlyInAnyOrder("us-east-1", "eu-west-1");
            RecordedRequest east = calls.stream().filter(r -> r.region().equals("us-east-1")).findFirst().orElseThrow();
            assertThat(east.body().path("Filters").path("clusterIds")).hasSize(2);
        }
    }

    @Test
    void batchesAreCutAtMaxClustersPerCall() {
        for (int i = 0; i < 5; i++) {
            cp.putCluster(Fixtures.cluster("cluster-batch" + i, "us-east-1"));
        }
        try (AwsClusterDiscovery d = discovery().maxClustersPerCall(2).build()) {
            List<DiscoveryRequest> requests = java.util.stream.IntStream.range(0, 5)
                    .mapToObj(i -> Fixtures.request("cluster-batch" + i, "us-east-1", cp.endpoint())).toList();

            assertThat(d.discoverAll(requests).collectList().block(WAIT)).hasSize(5);
            assertThat(cp.describeClustersRequests()).extracting(r -> r.body().path("Filters").path("clusterIds").size())
                    .containsExactlyInAnyOrder(2, 2, 1);
        }
    }

    @Test
    void closeReturnsAtOnceReleasesInTheBackgroundAndRefusesLaterLookups() throws Exception {
        AwsClusterDiscovery d = discovery().build();
        d.discover(Fixtures.request("cluster-east1", "us-east-1", cp.endpoint())).block(WAIT);

        long start = System.nanoTime();
        d.close();
        Duration closing = Duration.ofNanos(System.nanoTime() - start);

        // The SDK's Netty shutdown takes about two seconds; close() must not wait for it.
        assertThat(closing).isLessThan(Duration.ofSeconds(1));
        d.closeAsync().get(30, TimeUnit.SECONDS);
        assertThat(d.closeAsync()).isCompleted();
        StepVerifier.create(d.discover(DiscoveryRequest.of(ClusterId.of("cluster-east1"))))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed"))
                .verify(WAIT);
    }
}
