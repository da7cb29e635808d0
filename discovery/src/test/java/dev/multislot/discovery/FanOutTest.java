package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A hundred clusters at once take about one round trip, not a hundred, and nothing blocks: the
 * flows are subscribed on Reactor's parallel (non-blocking) threads with BlockHound watching.
 */
class FanOutTest {

    private static final int CLUSTERS = 100;
    private static final Duration LATENCY = Duration.ofMillis(300);

    private static LocalControlPlane cp;
    private static AwsClusterDiscovery discovery;
    private static List<DiscoveryRequest> requests;

    @BeforeAll
    static void start(@TempDir Path home) {
        cp = LocalControlPlane.start();
        requests = IntStream.range(0, CLUSTERS).mapToObj(i -> "cluster-fan" + i).peek(id -> cp.putCluster(Fixtures.cluster(id, "us-west-2")))
                .map(id -> Fixtures.request(id, cp)).toList();
        discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", "us-west-2"), home)).build();
        // Build the SDK client (seconds of class loading on a busy machine) before anything is timed.
        discovery.discover(requests.get(0)).block(WAIT);
    }

    @AfterAll
    static void stop() {
        discovery.close();
        cp.close();
    }

    @BeforeEach
    void slowControlPlane() {
        cp.latency(LATENCY);
        cp.clearRequests();
    }

    @Test
    void discoverAllAsksInAFewConcurrentBatchedCalls() {
        long start = System.nanoTime();
        List<DiscoveredCluster> found = discovery.discoverAll(requests)
                .subscribeOn(Schedulers.parallel())
                .collectList()
                .block(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(found).hasSize(CLUSTERS).allSatisfy(c -> assertThat(c.usableHsms()).hasSize(2));
        assertThat(found).extracting(c -> c.clusterId().value()).doesNotHaveDuplicates();
        // 100 ids in batches of 25: four calls, sent together.
        assertThat(cp.describeClustersRequests()).hasSize(4)
                .allSatisfy(r -> assertThat(r.body().path("Filters").path("clusterIds")).hasSize(25));
        assertThat(cp.peakConcurrentRequests()).isGreaterThan(1);
        assertThat(took).isLessThan(LATENCY.multipliedBy(10));
    }

    @Test
    void aHundredSingleDiscoveriesOverlapToo() {
        long start = System.nanoTime();
        List<DiscoveredCluster> found = Flux.fromIterable(requests)
                .flatMap(r -> discovery.discover(r), CLUSTERS)
                .subscribeOn(Schedulers.parallel())
                .collectList()
                .block(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(found).hasSize(CLUSTERS);
        assertThat(cp.describeClustersRequests()).hasSize(CLUSTERS);
        assertThat(cp.peakConcurrentRequests()).isGreaterThan(10);
        // One after the other would take 100 x 300 ms = 30 s.
        assertThat(took).isLessThan(LATENCY.multipliedBy(10));
    }
}
