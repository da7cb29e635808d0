package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigFileEditTest {

    static ClusterConfig cluster(String id, String... hosts) {
        List<ServerConfig> servers = new ArrayList<>();
        for (String h : hosts) {
            servers.add(new ServerConfig(h, 2223, true));
        }
        return new ClusterConfig(ClusterId.of(id), Optional.of("us-east-1"), Path.of("/opt/cloudhsm/etc/" + id + ".crt"),
                servers, Optional.empty(), Optional.empty());
    }

    @Test
    void addingAClusterToTheSdkFileKeepsEverythingElseAsItWas() throws IOException {
        ConfigFile sdk = ConfigFile.parse(ConfigFileParseTest.sdkFile());
        ClusterConfig added = cluster("cluster-1234567", "10.0.3.7", "10.0.4.9");

        ConfigFile edited = ConfigFile.parse(sdk.withCluster(added).toJson());

        assertThat(edited.clusters()).containsExactly(sdk.clusters().get(0), added);
        ObjectNode expected = sdk.tree();
        ObjectNode actual = edited.tree();
        ((ArrayNode) actual.get("clusters")).remove(1);
        assertThat(actual).isEqualTo(expected);
        assertThat(edited.withoutCluster(added.clusterId()).toJson()).isEqualTo(sdk.toJson());
        // The id-less entry is still id-less: the synthetic id is never written.
        assertThat(edited.tree().at("/clusters/0/cluster").has("cluster_id")).isFalse();
        assertThat(edited.tree().at("/clusters/1/cluster/cluster_id").asText()).isEqualTo("cluster-1234567");
    }

    @Test
    void theSdkFileIsWrittenBackInItsOwnLayout() throws IOException {
        String text = ConfigFileParseTest.sdkFile();

        assertThat(ConfigFile.parse(text).toJson()).isEqualTo(text);
    }

    @Test
    void writesTheNewClusterInTheSdkShapeWithTwoSpaceIndentation() {
        ConfigFile file = ConfigFile.empty().withCluster(new ClusterConfig(ClusterId.of("cluster-1"), Optional.of("eu-west-1"),
                Path.of("/ca.crt"), List.of(new ServerConfig("10.0.0.1", 2223, true)),
                Optional.of(Path.of("/c.crt")), Optional.of(Path.of("/c.key"))));

        assertThat(file.toJson()).isEqualTo("""
                {
                  "clusters": [
                    {
                      "type": "hsm1",
                      "cluster": {
                        "cluster_id": "cluster-1",
                        "region": "eu-west-1",
                        "hsm_ca_file": "/ca.crt",
                        "servers": [
                          {
                            "hostname": "10.0.0.1",
                            "port": 2223,
                            "enable": true
                          }
                        ],
                        "client_cert_path": "/c.crt",
                        "client_key_path": "/c.key"
                      }
                    }
                  ]
                }
                """);
        assertThat(ConfigFile.empty().toJson()).isEqualTo("{\n  \"clusters\": []\n}\n");
    }

    @Test
    void replacingAClusterKeepsItsPlaceItsUnknownFieldsAndThoseOfItsRemainingServers() {
        ConfigFile file = ConfigFile.parse("""
                {"before": 1, "clusters": [
                  {"type": "hsm1", "note": "first", "cluster": {"cluster_id": "cluster-a", "x-owner": "team-a", "hsm_ca_file": "/a.crt",
                    "servers": [{"hostname": "h1", "rack": 7}, {"hostname": "h2", "port": 2223, "enable": true, "rack": 8}],
                    "client_cert_path": "/c.crt", "client_key_path": "/c.key", "tail": [1.50, 1e3]}},
                  {"type": "hsm1", "cluster": {"cluster_id": "cluster-b", "hsm_ca_file": "/b.crt", "servers": []}}
                ], "after": {"k": null}}
                """);
        ClusterConfig replacement = new ClusterConfig(ClusterId.of("cluster-a"), Optional.of("us-west-2"), Path.of("/a2.crt"),
                List.of(new ServerConfig("h3", 2223, true), new ServerConfig("h1", 2223, false)), Optional.empty(), Optional.empty());

        ConfigFile edited = file.withCluster(replacement);

        assertThat(edited.clusters()).extracting(ClusterConfig::clusterId).containsExactly(ClusterId.of("cluster-a"), ClusterId.of("cluster-b"));
        assertThat(edited.cluster(ClusterId.of("cluster-a"))).contains(replacement);
        assertThat(ConfigFile.parse(edited.toJson())).isEqualTo(edited);
        assertThat(edited.toJson().replaceAll("\\s+", "")).isEqualTo(("""
                {"before": 1, "clusters": [
                  {"type": "hsm1", "note": "first", "cluster": {"cluster_id": "cluster-a", "region": "us-west-2", "x-owner": "team-a",
                    "hsm_ca_file": "/a2.crt",
                    "servers": [{"hostname": "h3", "port": 2223, "enable": true}, {"hostname": "h1", "enable": false, "rack": 7}],
                    "tail": [1.50, 1E+3]}},
                  {"type": "hsm1", "cluster": {"cluster_id": "cluster-b", "hsm_ca_file": "/b.crt", "servers": []}}
                ], "after": {"k": null}}
                """).replaceAll("\\s+", ""));
    }

    @Test
    void anUnchangedClusterLeavesTheFileAsItIs() {
        ConfigFile file = ConfigFile.parse("{\"clusters\": [{\"cluster\": {\"cluster_id\": \"c\", \"hsm_ca_file\": \"/a\","
                + " \"servers\": [{\"hostname\": \"h\"}]}}]}");

        assertThat(file.withCluster(file.clusters().get(0))).isSameAs(file);
        assertThat(file.withoutCluster(ClusterId.of("other"))).isSameAs(file);
    }

    @Test
    void aClusterWithASyntheticIdIsWrittenWithoutClusterId() {
        ClusterConfig byIp = new ClusterConfig(ClusterId.of("servers:10.9.9.9:3000"), Optional.empty(), Path.of("/ca"),
                List.of(new ServerConfig("10.9.9.9", 3000, true)), Optional.empty(), Optional.empty());

        ConfigFile file = ConfigFile.empty().withCluster(byIp);

        assertThat(file.tree().at("/clusters/0/cluster").has("cluster_id")).isFalse();
        assertThat(ConfigFile.parse(file.toJson()).clusters()).containsExactly(byIp);
        // Replacing the first server of an id-less entry renames it: its id is its first server.
        ClusterConfig moved = new ClusterConfig(byIp.clusterId(), Optional.empty(), Path.of("/ca"),
                List.of(new ServerConfig("10.8.8.8", 2223, true)), Optional.empty(), Optional.empty());
        assertThat(file.withCluster(moved).clusters()).extracting(ClusterConfig::clusterId).containsExactly(ClusterId.of("servers:10.8.8.8"));
    }

    @Test
    void refusesClustersThatCannotBeWrittenWithIllegalArgumentException() {
        ClusterConfig badPort = new ClusterConfig(ClusterId.of("c"), Optional.empty(), Path.of("/ca"),
                List.of(new ServerConfig("h", 70000, true)), Optional.empty(), Optional.empty());
        ClusterConfig blankHost = new ClusterConfig(ClusterId.of("c"), Optional.empty(), Path.of("/ca"),
                List.of(new ServerConfig(" ", 2223, true)), Optional.empty(), Optional.empty());
        ClusterConfig wrongSynthetic = new ClusterConfig(ClusterId.of("servers:1.1.1.1"), Optional.empty(), Path.of("/ca"),
                List.of(new ServerConfig("2.2.2.2", 2223, true)), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> ConfigFile.empty().withCluster(badPort)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.clusters[0].cluster.servers[0].port: expected an integer from 1 to 65535, got 70000");
        assertThatThrownBy(() -> ConfigFile.empty().withCluster(blankHost)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty host");
        assertThatThrownBy(() -> ConfigFile.empty().withCluster(wrongSynthetic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must match the first server (servers:2.2.2.2)");
    }

    @Test
    void aFileWithoutClustersGetsTheArrayFirst() {
        ConfigFile file = ConfigFile.parse("{\"logging\": {\"log_level\": \"info\"}}").withCluster(cluster("c-1", "h"));

        assertThat(file.tree().fieldNames().next()).isEqualTo("clusters");
        assertThat(file.tree().get("logging").get("log_level").asText()).isEqualTo("info");
    }

    @Test
    void theTreeIsACopy() {
        ConfigFile file = ConfigFile.empty().withCluster(cluster("c-1", "h"));
        ObjectNode tree = file.tree();
        tree.removeAll();

        assertThat(file.clusters()).hasSize(1);
        assertThat(file.tree().has("clusters")).isTrue();
    }
}
