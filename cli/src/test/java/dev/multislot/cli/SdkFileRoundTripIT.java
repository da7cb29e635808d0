package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file as the SDK 5 tool writes it (two servers, cluster_id, client certificate pair, options,
 * logging) goes through -a, each option, add-cluster and remove-cluster as real subprocesses; after
 * each, the file is exactly the one before with only what that command changes changed, in place.
 */
class SdkFileRoundTripIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK_ID = "cluster-jxhlfsdkfile";
    private static final String OTHER_ID = "cluster-otherclusterb";

    private static final String SDK5_FILE = """
            {
              "clusters": [
                {
                  "type": "hsm1",
                  "cluster": {
                    "hsm_ca_file": "/opt/cloudhsm/etc/customerCA.crt",
                    "servers": [
                      {
                        "hostname": "10.0.1.12",
                        "port": 2223,
                        "enable": true
                      },
                      {
                        "hostname": "10.0.2.40",
                        "port": 2223,
                        "enable": true
                      }
                    ],
                    "cluster_id": "%s",
                    "client_cert_path": "/opt/cloudhsm/etc/ssl-client.crt",
                    "client_key_path": "/opt/cloudhsm/etc/ssl-client.key",
                    "options": {
                      "disable_key_availability_check": false
                    }
                  }
                }
              ],
              "logging": {
                "log_type": "file",
                "log_file": "/opt/cloudhsm/run/cloudhsm-pkcs11.log",
                "log_level": "info",
                "log_interval": "daily"
              }
            }
            """.formatted(SDK_ID);

    static LocalControlPlane controlPlane;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        controlPlane = LocalControlPlane.start();
        controlPlane.putCluster(ControlPlaneCluster.active(SDK_ID, "us-east-1",
                ControlPlaneHsm.active("hsm-sdkfileaaaaa", "10.0.1.12", "us-east-1a"),
                ControlPlaneHsm.active("hsm-sdkfilebbbbb", "10.0.2.40", "us-east-1b")));
        controlPlane.putCluster(ControlPlaneCluster.active(OTHER_ID, "us-east-1",
                ControlPlaneHsm.active("hsm-otherclustra", "10.5.1.1", "us-east-1c")));
    }

    @AfterAll
    static void stop() {
        controlPlane.close();
    }

    private Path config;
    private ObjectNode expected;

    /** Runs the command, applies the expected change to the previous tree, and compares: values and field order. */
    private void step(Consumer<ObjectNode> change, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config-file");
        all.add(config.toString());
        CliProcess.Result r = CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1").run(all.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r).isZero();
        change.accept(expected);
        JsonNode actual = JSON.readTree(config.toFile());
        assertThat(actual).as(String.join(" ", args)).isEqualTo(expected);
        assertThat(order(actual)).as("field order after " + String.join(" ", args)).isEqualTo(order(expected));
    }

    /** Every field path in document order. */
    private static List<String> order(JsonNode node) {
        List<String> out = new ArrayList<>();
        walk(node, "$", out);
        return out;
    }

    private static void walk(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                out.add(path + "." + e.getKey());
                walk(e.getValue(), path + "." + e.getKey(), out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static ObjectNode cluster(ObjectNode root, int i) {
        return (ObjectNode) root.path("clusters").get(i).path("cluster");
    }

    private static ObjectNode options(ObjectNode root) {
        return (ObjectNode) cluster(root, 0).path("options");
    }

    @Test
    void everyCommandChangesOnlyWhatItIsFor() throws Exception {
        config = dir.resolve("cloudhsm-pkcs11.cfg");
        Files.writeString(config, SDK5_FILE);
        expected = (ObjectNode) JSON.readTree(SDK5_FILE);
        String endpoint = controlPlane.endpoint().toString();

        step(root -> {
            ArrayNode servers = (ArrayNode) cluster(root, 0).path("servers");
            servers.remove(1);
            servers.addObject().put("hostname", "10.0.3.99").put("port", 2223).put("enable", true);
        }, "-a", "10.0.1.12", "10.0.3.99");
        step(root -> options(root).put("disable_key_availability_check", true), "--disable-key-availability-check");
        step(root -> options(root).put("disable_key_availability_check", false), "--enable-key-availability-check");
        step(root -> options(root).put("validate_key_at_init", true), "--enable-validate-key-at-init");
        step(root -> options(root).put("validate_key_at_init", false), "--disable-validate-key-at-init");
        step(root -> options(root).put("default_retry_mode", "off"), "--default-retry-mode", "off");
        step(root -> options(root).put("default_retry_mode", "standard"), "--default-retry-mode", "standard");
        step(root -> ((ObjectNode) root.path("logging")).put("log_type", "term"), "--log-type", "term");
        step(root -> ((ObjectNode) root.path("logging")).put("log_file", "/var/log/p11.log"), "--log-file", "/var/log/p11.log");
        step(root -> ((ObjectNode) root.path("logging")).put("log_level", "trace"), "--log-level", "trace");
        step(root -> ((ObjectNode) root.path("logging")).put("log_interval", "never"), "--log-rotation", "never");

        step(root -> {
            ObjectNode other = ((ArrayNode) root.path("clusters")).addObject();
            other.put("type", "hsm1");
            ObjectNode c = other.putObject("cluster");
            c.put("cluster_id", OTHER_ID).put("region", "us-east-1").put("endpoint", endpoint)
                    .put("hsm_ca_file", "/opt/cloudhsm/etc/customerCA.crt");
            c.putArray("servers").addObject().put("hostname", "10.5.1.1").put("port", 2223).put("enable", true)
                    .put("hsm_id", "hsm-otherclustra").put("availability_zone", "us-east-1c");
        }, "add-cluster", "--cluster-id", OTHER_ID, "--endpoint", endpoint);
        step(root -> ((ArrayNode) root.path("clusters")).remove(1), "remove-cluster", "--cluster-id", OTHER_ID);

        // Refreshing the SDK's own cluster: servers from DescribeClusters, region and endpoint recorded
        // where they belong; its certificate pair, options and everything else stay.
        step(root -> {
            ObjectNode c = cluster(root, 0);
            ObjectNode rebuilt = JSON.createObjectNode();
            rebuilt.set("hsm_ca_file", c.get("hsm_ca_file"));
            ArrayNode servers = rebuilt.putArray("servers");
            servers.add(((ObjectNode) c.path("servers").get(0)).deepCopy().put("hsm_id", "hsm-sdkfileaaaaa")
                    .put("availability_zone", "us-east-1a"));
            servers.addObject().put("hostname", "10.0.2.40").put("port", 2223).put("enable", true)
                    .put("hsm_id", "hsm-sdkfilebbbbb").put("availability_zone", "us-east-1b");
            rebuilt.put("cluster_id", SDK_ID).put("region", "us-east-1").put("endpoint", endpoint);
            rebuilt.set("client_cert_path", c.get("client_cert_path"));
            rebuilt.set("client_key_path", c.get("client_key_path"));
            rebuilt.set("options", c.get("options"));
            ((ObjectNode) root.path("clusters").get(0)).set("cluster", rebuilt);
        }, "add-cluster", "--cluster-id", SDK_ID, "--endpoint", endpoint);
    }
}
