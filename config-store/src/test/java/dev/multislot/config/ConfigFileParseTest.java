package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigFileParseTest {

    static String sdkFile() throws IOException {
        try (InputStream in = ConfigFileParseTest.class.getResourceAsStream("sdk5-single-cluster.cfg")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A valid file with two clusters; tests break one field at a time. */
    static final String TWO_CLUSTERS = """
            {
              "clusters": [
                {"type": "hsm1", "cluster": {"cluster_id": "cluster-a", "region": "us-east-1",
                  "hsm_ca_file": "/etc/ca-a.crt",
                  "servers": [{"hostname": "10.0.1.12", "port": 2223, "enable": true}, {"hostname": "10.0.2.40"}]}},
                {"type": "hsm1", "cluster": {"cluster_id": "cluster-b", "hsm_ca_file": "/etc/ca-b.crt",
                  "servers": [{"hostname": "hsm.example", "port": 2224, "enable": false}],
                  "client_cert_path": "/etc/client.crt", "client_key_path": "/etc/client.key"}}
              ]
            }
            """;

    @Test
    void readsTheFileTheSdkToolWritesWithASyntheticIdFromTheFirstServer() throws IOException {
        ConfigFile file = ConfigFile.parse(sdkFile());

        assertThat(file.clusters()).containsExactly(new ClusterConfig(ClusterId.of("servers:10.0.1.12"), Optional.empty(),
                Path.of("/opt/cloudhsm/etc/customerCA.crt"), List.of(new ServerConfig("10.0.1.12", 2223, true)),
                Optional.empty(), Optional.empty()));
        assertThat(file.cluster(ClusterId.of("servers:10.0.1.12"))).isPresent();
    }

    @Test
    void readsEveryFieldAndAppliesTheDefaults() {
        ConfigFile file = ConfigFile.parse(TWO_CLUSTERS);

        assertThat(file.clusters()).containsExactly(
                new ClusterConfig(ClusterId.of("cluster-a"), Optional.of("us-east-1"), Path.of("/etc/ca-a.crt"),
                        List.of(new ServerConfig("10.0.1.12", 2223, true), new ServerConfig("10.0.2.40", 2223, true)),
                        Optional.empty(), Optional.empty()),
                new ClusterConfig(ClusterId.of("cluster-b"), Optional.empty(), Path.of("/etc/ca-b.crt"),
                        List.of(new ServerConfig("hsm.example", 2224, false)),
                        Optional.of(Path.of("/etc/client.crt")), Optional.of(Path.of("/etc/client.key"))));
    }

    @Test
    void syntheticIdsNameTheNonDefaultPortAndBracketIpv6() {
        assertThat(ConfigFile.syntheticId(new ServerConfig("10.0.1.12", 2223, true))).isEqualTo(ClusterId.of("servers:10.0.1.12"));
        assertThat(ConfigFile.syntheticId(new ServerConfig("10.0.1.12", 3000, true))).isEqualTo(ClusterId.of("servers:10.0.1.12:3000"));
        assertThat(ConfigFile.syntheticId(new ServerConfig("fd00::1", 2223, true))).isEqualTo(ClusterId.of("servers:[fd00::1]"));
        assertThat(ConfigFile.syntheticId(new ServerConfig("fd00::1", 2224, true))).isEqualTo(ClusterId.of("servers:[fd00::1]:2224"));
    }

    @Test
    void aMissingClustersArrayMeansNoClustersAndTypeMayBeLeftOut() {
        assertThat(ConfigFile.parse("{\"logging\": {}}").clusters()).isEmpty();
        assertThat(ConfigFile.parse("{\"clusters\": [{\"cluster\": {\"hsm_ca_file\": \"/ca\", \"servers\": [{\"hostname\": \"h\"}]}}]}")
                .clusters()).hasSize(1);
    }

    static Stream<Arguments> brokenFields() {
        return Stream.of(
                broken("duplicate cluster id", "\"cluster-b\"", "\"cluster-a\"",
                        "$.clusters[1].cluster.cluster_id", "duplicate cluster id cluster-a: $.clusters[0] has it too"),
                broken("port over range", "\"port\": 2224", "\"port\": 70000",
                        "$.clusters[1].cluster.servers[0].port", "expected an integer from 1 to 65535, got 70000"),
                broken("port zero", "\"port\": 2224", "\"port\": 0",
                        "$.clusters[1].cluster.servers[0].port", "expected an integer from 1 to 65535, got 0"),
                broken("port as a string", "\"port\": 2224", "\"port\": \"2224\"",
                        "$.clusters[1].cluster.servers[0].port", "got the string \"2224\""),
                broken("port with a fraction", "\"port\": 2224", "\"port\": 2224.5",
                        "$.clusters[1].cluster.servers[0].port", "got 2224.5"),
                broken("empty host", "\"hostname\": \"10.0.2.40\"", "\"hostname\": \"\"",
                        "$.clusters[0].cluster.servers[1].hostname", "empty host"),
                broken("blank host", "\"hostname\": \"10.0.2.40\"", "\"hostname\": \"  \"",
                        "$.clusters[0].cluster.servers[1].hostname", "empty host"),
                broken("host with spaces", "\"hostname\": \"10.0.2.40\"", "\"hostname\": \"a b\"",
                        "$.clusters[0].cluster.servers[1].hostname", "contains spaces"),
                broken("host missing", "\"hostname\": \"10.0.2.40\"", "\"host\": \"10.0.2.40\"",
                        "$.clusters[0].cluster.servers[1].hostname", "missing"),
                broken("host not a string", "\"hostname\": \"10.0.2.40\"", "\"hostname\": 10",
                        "$.clusters[0].cluster.servers[1].hostname", "got 10"),
                broken("enable not a boolean", "\"enable\": false", "\"enable\": \"no\"",
                        "$.clusters[1].cluster.servers[0].enable", "expected true or false, got the string \"no\""),
                broken("certificate without key", ", \"client_key_path\": \"/etc/client.key\"", "",
                        "$.clusters[1].cluster.client_cert_path", "a client certificate needs its key"),
                broken("key without certificate", "\"client_cert_path\": \"/etc/client.crt\",", "",
                        "$.clusters[1].cluster.client_key_path", "a client key needs its certificate"),
                broken("ca file missing", "\"hsm_ca_file\": \"/etc/ca-b.crt\",", "",
                        "$.clusters[1].cluster.hsm_ca_file", "missing; expected the path of a PEM file"),
                broken("ca file empty", "\"/etc/ca-b.crt\"", "\"\"",
                        "$.clusters[1].cluster.hsm_ca_file", "expected a non-empty string"),
                broken("ca file not a string", "\"/etc/ca-b.crt\"", "[\"/etc/ca-b.crt\"]",
                        "$.clusters[1].cluster.hsm_ca_file", "expected a string, got an array"),
                broken("cluster id not a string", "\"cluster-b\"", "7",
                        "$.clusters[1].cluster.cluster_id", "expected a string, got 7"),
                broken("reserved id prefix", "\"cluster-b\"", "\"servers:1.2.3.4\"",
                        "$.clusters[1].cluster.cluster_id", "reserved for clusters without cluster_id"),
                broken("region with spaces", "\"us-east-1\"", "\"us east 1\"",
                        "$.clusters[0].cluster.region", "expected a region name"),
                broken("servers not an array", "[{\"hostname\": \"hsm.example\", \"port\": 2224, \"enable\": false}]", "{}",
                        "$.clusters[1].cluster.servers", "expected an array of servers, got an object"),
                broken("servers missing", "\"servers\": [{\"hostname\": \"hsm.example\", \"port\": 2224, \"enable\": false}],", "",
                        "$.clusters[1].cluster.servers", "missing"),
                broken("server not an object", "{\"hostname\": \"10.0.2.40\"}", "\"10.0.2.40\"",
                        "$.clusters[0].cluster.servers[1]", "got the string \"10.0.2.40\""),
                broken("duplicate server", "{\"hostname\": \"10.0.2.40\"}", "{\"hostname\": \"10.0.1.12\"}",
                        "$.clusters[0].cluster.servers[1]", "duplicate server 10.0.1.12:2223: servers[0] has it too"),
                broken("cluster not an object", "\"cluster\": {\"cluster_id\": \"cluster-b\"", "\"cluster\": 5, \"c\": {\"cluster_id\": \"cluster-b\"",
                        "$.clusters[1].cluster", "got 5"),
                broken("cluster missing", "\"cluster\": {\"cluster_id\": \"cluster-b\"", "\"c\": {\"cluster_id\": \"cluster-b\"",
                        "$.clusters[1].cluster", "missing"),
                broken("unknown cluster type", "\"type\": \"hsm1\", \"cluster\": {\"cluster_id\": \"cluster-b\"",
                        "\"type\": \"hsm2\", \"cluster\": {\"cluster_id\": \"cluster-b\"",
                        "$.clusters[1].type", "unsupported cluster type \"hsm2\""),
                broken("cluster entry not an object", "{\"type\": \"hsm1\", \"cluster\": {\"cluster_id\": \"cluster-b\"",
                        "true, {\"type\": \"hsm1\", \"cluster\": {\"cluster_id\": \"cluster-b\"",
                        "$.clusters[1]", "got true"),
                broken("clusters not an array", "\"clusters\": [", "\"clusters\": 1, \"x\": [",
                        "$.clusters", "expected an array of clusters, got 1"));
    }

    private static Arguments broken(String name, String find, String replace, String jsonPath, String problem) {
        return Arguments.of(name, find, replace, jsonPath, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFields")
    void namesTheJsonPathAndTheProblem(String name, String find, String replace, String jsonPath, String problem) {
        String input = TWO_CLUSTERS.replace(find, replace);
        assertThat(input).as("the test's replacement applies").isNotEqualTo(TWO_CLUSTERS);

        assertThatThrownBy(() -> ConfigFile.parse(input))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.jsonPath()).contains(jsonPath);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).isEqualTo(jsonPath + ": " + e.problem());
                });
    }

    @Test
    void invalidJsonIsReportedWithLineAndColumnAndTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        Files.writeString(file, "{\n  \"clusters\": [\n    {\"type\": \"hsm1\",, }\n  ]\n}\n");

        assertThatThrownBy(() -> ConfigCodec.defaults().read(file))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.path()).contains(file);
                    assertThat(e.jsonPath()).isEmpty();
                    assertThat(e.problem()).startsWith("invalid JSON at line 3, column ");
                    assertThat(e.getMessage()).startsWith(file + ": invalid JSON at line 3");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file           | ''                                         | the file is empty
            only spaces          | '   '                                      | the file is empty
            top level array      | []                                         | expected a JSON object
            top level string     | '"clusters"'                               | expected a JSON object
            duplicate keys       | {"clusters": [], "clusters": []}           | Duplicate field 'clusters'
            trailing content     | {"clusters": []} {}                        | Trailing token
            unterminated         | {"clusters": [                             | invalid JSON at line 1
            comments             | {"clusters": [] /* no */}                  | invalid JSON at line 1
            lone surrogate       | {"logging": {"x": "\\ud800"}}              | invalid Unicode: a lone surrogate
            """)
    void refusesWhatIsNotAConfigObject(String name, String text, String problem) {
        assertThatThrownBy(() -> ConfigFile.parse(text))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).contains(problem));
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "{\"x\": " + "[".repeat(500) + "]".repeat(500) + "}";

        assertThatThrownBy(() -> ConfigFile.parse(deep))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).contains("nesting depth"));
    }

    @Test
    void refusesAClusterWithoutIdOrServersAndDuplicateSyntheticIds() {
        assertThatThrownBy(() -> ConfigFile.parse("{\"clusters\": [{\"cluster\": {\"hsm_ca_file\": \"/ca\", \"servers\": []}}]}"))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.jsonPath()).contains("$.clusters[0].cluster.servers");
                    assertThat(e.problem()).contains("without cluster_id is named by its first server");
                });
        String twice = "{\"cluster\": {\"hsm_ca_file\": \"/ca\", \"servers\": [{\"hostname\": \"10.0.0.1\"}]}}";
        assertThatThrownBy(() -> ConfigFile.parse("{\"clusters\": [" + twice + ", " + twice + "]}"))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.jsonPath()).contains("$.clusters[1].cluster.servers[0]");
                    assertThat(e.problem()).contains("duplicate cluster id servers:10.0.0.1");
                });
    }

    @Test
    void refusesAFileOverTheSizeLimitBeforeReadingIt(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.cfg");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(8L * 1024 * 1024 * 1024); // sparse: reading it all would take minutes and 8 GiB
        }

        assertThatThrownBy(() -> ConfigCodec.defaults().read(huge))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.path()).contains(huge);
                    assertThat(e.problem()).isEqualTo("the file is 8589934592 bytes, over the limit of 1048576 bytes");
                });
        assertThatThrownBy(() -> ConfigCodec.withMaxFileSize(100).parse("{\"clusters\": [], \"pad\": \"" + "x".repeat(100) + "\"}"))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).contains("over the limit of 100 bytes"));
    }

    @Test
    void aMissingFileIsEmptyForReadIfExistsAndAnErrorForRead(@TempDir Path dir) {
        Path missing = dir.resolve("none.cfg");

        assertThat(ConfigCodec.defaults().readIfExists(missing)).isEmpty();
        assertThatThrownBy(() -> ConfigCodec.defaults().read(missing))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).isEqualTo("no such file"));
        assertThatThrownBy(() -> ConfigCodec.defaults().read(dir))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).contains("is a directory"));
    }

    @Test
    void checksThatTheReferencedFilesExist(@TempDir Path dir) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "pem");
        Path cert = Files.writeString(dir.resolve("client.crt"), "pem");
        Path cfg = dir.resolve("x.cfg");
        String json = "{\"clusters\": [{\"cluster\": {\"cluster_id\": \"c\", \"hsm_ca_file\": \"" + ca + "\", \"servers\": [],"
                + " \"client_cert_path\": \"" + cert + "\", \"client_key_path\": \"" + dir.resolve("client.key") + "\"}}]}";
        ConfigFile file = ConfigFile.parse(json);

        assertThatThrownBy(() -> ConfigCodec.checkReferencedFiles(file, Optional.of(cfg)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.jsonPath()).contains("$.clusters[0].cluster.client_key_path");
                    assertThat(e.getMessage()).isEqualTo(cfg + ": $.clusters[0].cluster.client_key_path: the client key file "
                            + dir.resolve("client.key") + " does not exist");
                });
        Files.writeString(dir.resolve("client.key"), "pem");
        ConfigCodec.checkReferencedFiles(file, Optional.of(cfg));
        Files.delete(ca);
        Files.createDirectory(ca);
        assertThatThrownBy(() -> ConfigCodec.checkReferencedFiles(file, Optional.of(cfg)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.problem()).contains("is not a regular file"));
    }
}
