package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.LocalControlPlane;
import dev.multislot.local.controlplane.RecordedRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaginationTest {

    private static final List<String> IDS =
            List.of("cluster-page1", "cluster-page2", "cluster-page3", "cluster-page4", "cluster-page5");

    private LocalControlPlane cp;
    private AwsClusterDiscovery discovery;

    @BeforeEach
    void start(@TempDir Path home) {
        cp = LocalControlPlane.start();
        IDS.forEach(id -> cp.putCluster(Fixtures.cluster(id, "eu-west-1")));
        discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", "eu-west-1"), home)).build();
    }

    @AfterEach
    void stop() {
        discovery.close();
        cp.close();
    }

    @Test
    void followsNextTokenToTheLastPage() {
        cp.pageSize(1);
        List<DiscoveryRequest> requests = IDS.stream().map(id -> Fixtures.request(id, cp)).toList();

        List<DiscoveredCluster> found = discovery.discoverAll(requests).collectList().block(WAIT);

        assertThat(found).extracting(DiscoveredCluster::clusterId)
                .containsExactlyInAnyOrderElementsOf(IDS.stream().map(ClusterId::of).toList());
        assertThat(found).allSatisfy(c -> assertThat(c.usableHsms()).hasSize(2));
        List<RecordedRequest> calls = cp.describeClustersRequests();
        assertThat(calls).hasSize(5);
        assertThat(calls.get(0).body().has("NextToken")).isFalse();
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).body().path("NextToken").asText()).isNotBlank();
        }
        // Every page asks the same question: all five ids in one filter.
        assertThat(calls).allSatisfy(c ->
                assertThat(c.body().path("Filters").path("clusterIds")).hasSize(5));
    }

    @Test
    void aClusterOnALaterPageIsFoundByASingleDiscover() {
        cp.pageSize(1);
        // Two ids in one filter with a page size of one: the second cluster comes on page two.
        List<DiscoveredCluster> found = discovery.discoverAll(List.of(
                Fixtures.request("cluster-page5", cp), Fixtures.request("cluster-page1", cp))).collectList().block(WAIT);

        assertThat(found).extracting(c -> c.clusterId().value()).containsExactly("cluster-page5", "cluster-page1");
        assertThat(cp.describeClustersRequests()).hasSize(2);
    }
}
