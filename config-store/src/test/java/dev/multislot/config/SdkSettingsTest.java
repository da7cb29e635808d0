package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SDK's options and logging, the endpoint and each server's hsm_id and zone: read, written, kept. */
class SdkSettingsTest {

    private static final String SDK_FILE = """
            {
              "clusters": [
                {
                  "type": "hsm1",
                  "cluster": {
                    "hsm_ca_file": "/opt/cloudhsm/etc/customerCA.crt",
                    "servers": [
                      { "hostname": "10.0.1.12", "port": 2223, "enable": true },
                      { "hostname": "10.0.2.40", "port": 2223, "enable": true }
                    ],
                    "cluster_id": "cluster-jxhlf7644ne",
                    "client_cert_path": "/opt/cloudhsm/etc/ssl-client.crt",
                    "client_key_path": "/opt/cloudhsm/etc/ssl-client.key",
                    "options": { "disable_key_availability_check": false, "future_option": 7 }
                  }
                }
              ],
              "logging": { "log_type": "file", "log_file": "/opt/cloudhsm/run/cloudhsm-pkcs11.log", "log_level": "info", "log_interval": "daily" }
            }
            """;

    @Test
    void readsTheSdksOptionsAndLoggingWithTheSdksDefaults() {
        ConfigFile file = ConfigFile.parse(SDK_FILE);
        ClusterConfig c = file.clusters().get(0);

        assertThat(c.options()).isEqualTo(ClusterOptions.DEFAULTS);
        assertThat(c.endpoint()).isEmpty();
        assertThat(c.servers().get(0).hsmId()).isEmpty();
        assertThat(file.logging()).isEqualTo(new SdkLogging(Optional.of("file"), Optional.of("/opt/cloudhsm/run/cloudhsm-pkcs11.log"),
                Optional.of("info"), Optional.of("daily")));
    }

    @Test
    void changedOptionsAreWrittenInPlaceAndOtherOptionFieldsStay() {
        ConfigFile file = ConfigFile.parse(SDK_FILE);
        ClusterConfig c = file.clusters().get(0);

        ConfigFile edited = ConfigFile.parse(file.withCluster(c.withOptions(new ClusterOptions(false, true, Optional.of("off"))))
                .toJson());

        ObjectNode options = (ObjectNode) edited.tree().at("/clusters/0/cluster/options");
        assertThat(options.get("disable_key_availability_check").booleanValue()).isTrue();
        assertThat(options.get("future_option").intValue()).isEqualTo(7);
        assertThat(options.get("validate_key_at_init").booleanValue()).isTrue();
        assertThat(options.get("default_retry_mode").textValue()).isEqualTo("off");
        assertThat(edited.clusters().get(0).options()).isEqualTo(new ClusterOptions(false, true, Optional.of("off")));
        // Back to the defaults: the fields the file had stay, the added ones go or show the default.
        ConfigFile back = edited.withCluster(edited.clusters().get(0).withOptions(ClusterOptions.DEFAULTS));
        assertThat(back.clusters().get(0).options()).isEqualTo(ClusterOptions.DEFAULTS);
        assertThat(back.tree().at("/clusters/0/cluster/options").has("default_retry_mode")).isFalse();
    }

    @Test
    void aClusterWithDefaultOptionsGetsNoOptionsObject() {
        ConfigFile file = ConfigFile.empty().withCluster(new ClusterConfig(ClusterId.of("cluster-abcdefghijk"), Optional.of("us-east-1"),
                java.nio.file.Path.of("/ca.crt"), List.of(new ServerConfig("10.0.0.1", 2223, true)), Optional.empty(), Optional.empty()));

        assertThat(file.tree().at("/clusters/0/cluster").has("options")).isFalse();
    }

    @Test
    void endpointAndEachServersHsmIdAndZoneAreWrittenBesideTheirNeighboursAndReadBack() {
        ConfigFile file = ConfigFile.parse(SDK_FILE);
        ClusterConfig c = file.clusters().get(0);
        ClusterConfig discovered = new ClusterConfig(c.clusterId(), Optional.of("us-east-1"), c.hsmCaFile(),
                List.of(new ServerConfig("10.0.1.12", 2223, true, Optional.of("hsm-abcdefghijk"), Optional.of("us-east-1a")),
                        new ServerConfig("10.0.3.7", 2223, true, Optional.of("hsm-bcdefghijkl"), Optional.of("us-east-1c"))),
                c.clientCertFile(), c.clientKeyFile(), Optional.of(URI.create("https://vpce-1.cloudhsmv2.us-east-1.vpce.amazonaws.com")),
                c.options());

        ConfigFile edited = ConfigFile.parse(file.withCluster(discovered).toJson());

        assertThat(edited.clusters().get(0)).isEqualTo(discovered);
        ObjectNode cluster = (ObjectNode) edited.tree().at("/clusters/0/cluster");
        assertThat(cluster.get("endpoint").textValue()).isEqualTo("https://vpce-1.cloudhsmv2.us-east-1.vpce.amazonaws.com");
        assertThat(cluster.at("/servers/0/hsm_id").textValue()).isEqualTo("hsm-abcdefghijk");
        assertThat(cluster.at("/servers/1/availability_zone").textValue()).isEqualTo("us-east-1c");
        assertThat(edited.logging()).isEqualTo(file.logging());
        assertThat(edited.tree().get("logging")).isEqualTo(file.tree().get("logging"));
    }

    @Test
    void loggingFieldsAreSetInPlaceAndTheObjectIsCreatedAfterClusters() {
        ConfigFile file = ConfigFile.parse(SDK_FILE);
        ConfigFile edited = file.withLogging(SdkLogging.of(Optional.empty(), Optional.empty(), Optional.of("debug"), Optional.of("hourly")));

        assertThat(edited.logging().logLevel()).contains("debug");
        assertThat(edited.logging().logInterval()).contains("hourly");
        assertThat(edited.logging().logFile()).contains("/opt/cloudhsm/run/cloudhsm-pkcs11.log");
        assertThat(edited.tree().get("logging").fieldNames()).toIterable().containsExactly("log_type", "log_file", "log_level", "log_interval");

        ConfigFile fresh = ConfigFile.empty().withLogging(SdkLogging.of(Optional.of("term"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(fresh.tree().fieldNames()).toIterable().containsExactly("clusters", "logging");
        assertThatThrownBy(() -> SdkLogging.of(Optional.empty(), Optional.empty(), Optional.of("verbose"), Optional.empty()))
                .hasMessageContaining("log_level").hasMessageContaining("verbose").hasMessageContaining("error, warn, info, debug, trace");
    }

    @Test
    void ipv6LiteralsAreReadWithOrWithoutBrackets() {
        ConfigFile file = ConfigFile.parse("""
                {"clusters": [{"cluster": {"hsm_ca_file": "/ca.crt", "servers": [
                  {"hostname": "[::1]", "port": 40001}, {"hostname": "fd00::12"}]}}]}
                """);
        ClusterConfig c = file.clusters().get(0);
        assertThat(c.enabledHsms()).containsExactly(new dev.multislot.api.HsmAddress("::1", 40001),
                new dev.multislot.api.HsmAddress("fd00::12", 2223));
        assertThat(c.clusterId().value()).isEqualTo("servers:[::1]:40001");
        assertThat(c.enabledHsms().get(0)).hasToString("[::1]:40001");
        assertThatThrownBy(() -> ConfigFile.parse("""
                {"clusters": [{"cluster": {"hsm_ca_file": "/ca.crt", "servers": [{"hostname": "[::1]"}, {"hostname": "::1"}]}}]}
                """)).isInstanceOf(ConfigFileException.class).hasMessageContaining("duplicate server [::1]:2223");
    }

    @Test
    void badOptionValuesAndEndpointsAreRefusedWithTheirJsonPath() {
        String badMode = SDK_FILE.replace("\"future_option\": 7", "\"default_retry_mode\": \"sometimes\"");
        assertThatThrownBy(() -> ConfigFile.parse(badMode)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("$.clusters[0].cluster.options.default_retry_mode").hasMessageContaining("\"off\" or \"standard\"");
        String badCheck = SDK_FILE.replace("\"disable_key_availability_check\": false", "\"disable_key_availability_check\": \"no\"");
        assertThatThrownBy(() -> ConfigFile.parse(badCheck)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("$.clusters[0].cluster.options.disable_key_availability_check");
        String badEndpoint = SDK_FILE.replace("\"cluster_id\"", "\"endpoint\": \"ftp://x\", \"cluster_id\"");
        assertThatThrownBy(() -> ConfigFile.parse(badEndpoint)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("$.clusters[0].cluster.endpoint");
    }
}
