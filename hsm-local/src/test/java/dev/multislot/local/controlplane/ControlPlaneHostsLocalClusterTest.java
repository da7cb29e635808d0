package dev.multislot.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneHostsLocalClusterTest {

    @Test
    void aRunningLocalClusterIsDescribedWithItsHsmHostsAsEniIps(@TempDir Path dir) {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder()
                     .clusterId("cluster-hosted1").hsmCount(2).port(0).directory(dir).build());
             LocalControlPlane cp = LocalControlPlane.start()) {

            ControlPlaneCluster hosted = cp.host(cluster, "eu-central-1");

            assertThat(hosted.hsms()).extracting(ControlPlaneHsm::hsmId)
                    .containsExactlyElementsOf(cluster.hsms().stream().map(LocalHsm::hsmId).toList());
            JsonNode answer = new AwsJsonClient(cp.endpoint())
                    .describe("eu-central-1", "{\"Filters\":{\"clusterIds\":[\"cluster-hosted1\"]}}").body();
            JsonNode hsms = answer.path("Clusters").get(0).path("Hsms");
            assertThat(hsms).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(hsms.get(i).path("EniIp").asText()).isEqualTo(cluster.hsm(i).host());
                assertThat(hsms.get(i).path("State").asText()).isEqualTo("ACTIVE");
                assertThat(hsms.get(i).path("AvailabilityZone").asText()).startsWith("eu-central-1");
            }
        }
    }
}
