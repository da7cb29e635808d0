package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the validator on the edit path: a cluster built from fuzzed
 * ids, host names, ports and paths is either refused with {@link IllegalArgumentException} or
 * added so that the file written reads back with that very cluster, and removing it again gives
 * the file without it.
 *
 * <p>Seeds and every input that ever failed: {@code ClusterEditFuzzerInputs/addThenRemove/}
 * beside this class in the test resources (docs/reliability.md).
 */
class ClusterEditFuzzer {

    private static final String BASE = """
            {"clusters": [{"type": "hsm1", "cluster": {"cluster_id": "cluster-base1", "hsm_ca_file": "/ca.crt",
              "servers": [{"hostname": "10.0.0.1", "port": 2223, "enable": true, "x": 1}]}}],
             "options": {"max_sessions": 8}}
            """;

    private final ConfigCodec codec = ConfigCodec.defaults();
    private final ConfigFile base = codec.parse(BASE);

    @FuzzTest(maxDuration = "5s")
    void addThenRemove(FuzzedDataProvider data) {
        ClusterConfig cluster;
        try {
            cluster = cluster(data);
        } catch (IllegalArgumentException refusedByTheApiTypes) {
            return;
        }
        ConfigFile edited;
        try {
            edited = base.withCluster(cluster);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        ConfigFile read = codec.parse(codec.serialize(edited), Optional.empty());
        assertThat(read).isEqualTo(edited);
        assertThat(read.cluster(cluster.clusterId())).contains(cluster);
        if (!cluster.clusterId().equals(ClusterId.of("cluster-base1"))) {
            assertThat(read.withoutCluster(cluster.clusterId())).isEqualTo(base);
        }
    }

    private static ClusterConfig cluster(FuzzedDataProvider data) {
        ClusterId id = ClusterId.of(data.consumeBoolean() ? "cluster-base1" : data.consumeString(40));
        Optional<String> region = data.consumeBoolean() ? Optional.of(data.consumeString(30)) : Optional.empty();
        Path ca = Path.of(data.consumeString(60));
        int count = data.consumeInt(0, 4);
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            servers.add(new ServerConfig(data.consumeString(80), data.consumeInt(), data.consumeBoolean()));
        }
        boolean mutualTls = data.consumeBoolean();
        Optional<Path> cert = mutualTls ? Optional.of(Path.of(data.consumeString(60))) : Optional.empty();
        Optional<Path> key = mutualTls ? Optional.of(Path.of(data.consumeRemainingAsString())) : Optional.empty();
        return new ClusterConfig(id, region, ca, servers, cert, key);
    }
}
