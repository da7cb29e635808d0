package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.discovery.AwsClusterDiscovery;
import dev.multislot.discovery.RegionResolver;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Two clusters, each known only to its own control plane (as with two VPC endpoints): the running
 * connector refreshes each through the endpoint recorded in the file, with the real AWS SDK.
 * Without the recorded endpoint the refresh would go to the public endpoint and find nothing.
 */
class RefreshThroughOwnEndpointTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static ClusterConfig config(LocalCluster c, LocalControlPlane cp, LocalHsm first) {
        return new ClusterConfig(ClusterId.of(c.clusterId()), Optional.of("us-east-1"), c.caFile(),
                List.of(new ServerConfig(first.host(), first.port(), true, Optional.of(first.hsmId()), Optional.of("us-east-1a"))),
                Optional.empty(), Optional.empty(), Optional.of(cp.endpoint()), ClusterOptions.DEFAULTS);
    }

    private static ControlPlaneHsm hsm(LocalHsm h, String zone) {
        return ControlPlaneHsm.active(h.hsmId(), h.host(), zone);
    }

    @Test
    void eachClusterIsRefreshedThroughItsOwnRecordedEndpoint() throws Exception {
        try (LocalControlPlane east = LocalControlPlane.start();
             LocalControlPlane west = LocalControlPlane.start();
             LocalCluster a = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).build());
             LocalCluster b = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).build())) {
            east.putCluster(ControlPlaneCluster.active(a.clusterId(), "us-east-1", hsm(a.hsm(0), "us-east-1a")));
            west.putCluster(ControlPlaneCluster.active(b.clusterId(), "us-east-1", hsm(b.hsm(0), "us-east-1a")));
            Path file = dir.resolve("cloudhsm-pkcs11.cfg");
            ConfigStore.at(file).update(f -> f.withCluster(config(a, east, a.hsm(0))).withCluster(config(b, west, b.hsm(0))));

            AwsClusterDiscovery discovery = AwsClusterDiscovery.builder()
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
                    .regionResolver(RegionResolver.of(Map.of(), dir))
                    .build();
            HsmConnectorOptions options = HsmConnectorOptions.builder().topologyRefreshInterval(Duration.ofMillis(300)).build();
            try (FileClusterConfigSource source = FileClusterConfigSource.watch(file);
                 ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source)
                         .discovery(discovery).build()) {
                connector.connect().block(AWAIT);
                HsmAddress aJoins = new HsmAddress(a.hsm(1).host(), a.hsm(1).port());
                HsmAddress bJoins = new HsmAddress(b.hsm(1).host(), b.hsm(1).port());
                CompletableFuture<SlotEvent> aAdded = connector.events()
                        .filter(e -> e instanceof SlotEvent.HsmAdded h && h.hsm().equals(aJoins)).next().toFuture();
                CompletableFuture<SlotEvent> bAdded = connector.events()
                        .filter(e -> e instanceof SlotEvent.HsmAdded h && h.hsm().equals(bJoins)).next().toFuture();

                east.addHsm(a.clusterId(), hsm(a.hsm(1), "us-east-1b"));
                west.addHsm(b.clusterId(), hsm(b.hsm(1), "us-east-1b"));

                assertThat(aAdded).as("cluster A refreshed through its endpoint").succeedsWithin(AWAIT);
                assertThat(bAdded).as("cluster B refreshed through its endpoint").succeedsWithin(AWAIT);
                assertThat(east.requests()).isNotEmpty();
                assertThat(west.requests()).isNotEmpty();
                assertThat(east.requests()).noneMatch(r -> r.body().toString().contains(b.clusterId()));
                assertThat(west.requests()).noneMatch(r -> r.body().toString().contains(a.clusterId()));
            } finally {
                discovery.close();
            }
        }
    }
}
