package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudhsmv2.CloudHsmV2AsyncClient;
import software.amazon.awssdk.services.cloudhsmv2.model.Cluster;
import software.amazon.awssdk.services.cloudhsmv2.model.ClusterMode;
import software.amazon.awssdk.services.cloudhsmv2.model.DescribeClustersRequest;
import software.amazon.awssdk.services.cloudhsmv2.model.Hsm;
import software.amazon.awssdk.services.cloudhsmv2.model.NetworkType;

/** The AWS SDK's own model, as it parses hsm-local's answers: every field a real cluster has, in the real shapes. */
class ControlPlaneModelTest {

    private static LocalControlPlane cp;
    private static AwsClusterDiscovery discovery;
    private static CloudHsmV2AsyncClient sdk;

    @BeforeAll
    static void start(@TempDir Path home) {
        cp = LocalControlPlane.start();
        discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", "us-east-2"), home)).build();
        sdk = CloudHsmV2AsyncClient.builder().region(Region.US_EAST_2).credentialsProvider(Fixtures.CREDENTIALS)
                .endpointOverride(cp.endpoint()).build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        discovery.close();
        cp.close();
    }

    @Test
    void aHostedLocalClusterHasTheApisIdShapesAndEveryModelField(@TempDir Path dir) {
        try (LocalCluster local = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).port(0).directory(dir).build())) {
            cp.host(local, "us-east-2");
            Cluster c = sdk.describeClusters(DescribeClustersRequest.builder().filters(Map.of("clusterIds", java.util.List.of(
                    local.clusterId()))).build()).join().clusters().get(0);

            assertThat(c.clusterId()).matches("cluster-[2-7a-zA-Z]{11,16}");
            assertThat(c.hsmType()).isEqualTo("hsm2m.medium");
            assertThat(c.mode()).isEqualTo(ClusterMode.FIPS);
            assertThat(c.networkType()).isEqualTo(NetworkType.IPV4);
            assertThat(c.vpcId()).matches("vpc-[0-9a-f]{17}");
            assertThat(c.securityGroup()).matches("sg-[0-9a-f]{17}");
            assertThat(c.createTimestamp()).isNotNull();
            assertThat(c.backupRetentionPolicy().value()).isEqualTo("90");
            assertThat(c.subnetMapping()).containsOnlyKeys("us-east-2a", "us-east-2b");
            for (Hsm h : c.hsms()) {
                assertThat(h.hsmId()).matches("hsm-[2-7a-zA-Z]{11,16}");
                assertThat(h.clusterId()).isEqualTo(c.clusterId());
                assertThat(h.hsmType()).isEqualTo("hsm2m.medium");
                assertThat(h.eniId()).matches("eni-[0-9a-f]{17}");
                assertThat(h.subnetId()).isEqualTo(c.subnetMapping().get(h.availabilityZone()));
                assertThat(h.eniIp()).startsWith("127.");
                assertThat(h.eniIpV6()).isNull();
            }
        }
    }

    @Test
    void aDualStackClusterReportsItsNetworkTypeAndEachHsmsIpv6Address() {
        cp.putCluster(ControlPlaneCluster.active("cluster-dualstackabc", "us-east-2",
                        ControlPlaneHsm.active("hsm-dualstackabc", "127.0.0.2", "us-east-2a").withEniIpV6("::1"))
                .withNetworkType(ControlPlaneCluster.DUALSTACK));

        Hsm raw = sdk.describeClusters(DescribeClustersRequest.builder().build()).join().clusters().stream()
                .filter(c -> c.clusterId().equals("cluster-dualstackabc")).findFirst().orElseThrow().hsms().get(0);
        assertThat(raw.eniIpV6()).isEqualTo("::1");

        DiscoveredCluster found = discovery.discover(Fixtures.request("cluster-dualstackabc", cp)).block(WAIT);
        assertThat(found.networkType()).contains("DUALSTACK");
        assertThat(found.hsms().get(0).eniIpV6()).isEqualTo(Optional.of("::1"));
        assertThat(found.hsms().get(0).availabilityZone()).isEqualTo("us-east-2a");
    }
}
