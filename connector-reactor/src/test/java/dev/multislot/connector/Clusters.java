package dev.multislot.connector;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.ClientCertificate;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import dev.multislot.testkit.MultislotExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Test helpers: hsm-local clusters, their configs, and connectors with test-sized settings. */
final class Clusters {

    static final Credentials USER = Credentials.of(LocalClusterSpec.DEFAULT_USERNAME,
            LocalClusterSpec.DEFAULT_PASSWORD.toCharArray());

    private Clusters() {
    }

    /** A small distinct message per request number. */
    static byte[] bytes(int i) {
        return new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)};
    }

    static LocalCluster start(int hsms) {
        return LocalCluster.start(LocalClusterSpec.builder().hsmCount(hsms).build());
    }

    static ClusterId id(LocalCluster cluster) {
        return ClusterId.of(cluster.clusterId());
    }

    static HsmAddress address(LocalHsm hsm) {
        return HsmAddress.of(hsm.host(), hsm.port());
    }

    static ClusterConfig config(LocalCluster cluster) {
        return new ClusterConfig(id(cluster), Optional.of("us-east-1"), cluster.caFile(), servers(cluster),
                Optional.empty(), Optional.empty());
    }

    static ClusterConfig config(LocalCluster cluster, ClientCertificate client) {
        return new ClusterConfig(id(cluster), Optional.of("us-east-1"), cluster.caFile(), servers(cluster),
                Optional.of(client.certFile()), Optional.of(client.keyFile()));
    }

    static List<ServerConfig> servers(LocalCluster cluster) {
        return cluster.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList();
    }

    /** Options sized for tests, the test kit's: short timeouts, small breaker windows. */
    static HsmConnectorOptions.Builder testOptions() {
        return MultislotExtension.testOptions();
    }

    static ReactorHsmConnector connect(HsmConnectorOptions options, ClusterConfig... clusters) {
        return connect(options, new TestConfigSource(List.of(clusters)));
    }

    static ReactorHsmConnector connect(HsmConnectorOptions options, TestConfigSource source) {
        ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source).build();
        connector.connect().block(Duration.ofSeconds(20));
        return connector;
    }
}
