package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code configure-pkcs11} run as a real subprocess through bin/configure-pkcs11 against hsm-local's control plane. */
class ConfigurePkcs11IT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;

    static LocalControlPlane controlPlane;
    static LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startControlPlane() {
        controlPlane = LocalControlPlane.start();
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(shared.resolve("ca")).build());
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-aaa1111", "us-east-1",
                ControlPlaneHsm.active("hsm-a1", "10.0.1.11", "us-east-1a"),
                ControlPlaneHsm.active("hsm-a2", "10.0.2.12", "us-east-1b")));
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-bbb2222", "us-east-1",
                ControlPlaneHsm.active("hsm-b1", "10.1.1.21", "us-east-1a"),
                new ControlPlaneHsm("hsm-b2", "10.1.2.22", "us-east-1b", ControlPlaneHsm.CREATE_IN_PROGRESS),
                ControlPlaneHsm.active("hsm-b3", "10.1.3.23", "us-east-1c")));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        controlPlane.close();
    }

    private CliProcess cli() {
        return CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1");
    }

    private String[] add(Path config, String clusterId, String... extra) {
        List<String> args = new ArrayList<>(List.of("add-cluster", "--cluster-id", clusterId,
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", cluster.caFile().toString(),
                "--config-file", config.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void addsTwoClustersListsThemAndRemovesOne() throws Exception {
        Path config = dir.resolve("etc/cloudhsm-pkcs11.cfg");

        CliProcess.Result a = cli().run(add(config, "cluster-aaa1111"));
        assertThat(a.exitCode()).as(a.toString()).isZero();
        assertThat(a.stdout()).contains("added cluster-aaa1111", "10.0.1.11:2223", "10.0.2.12:2223");

        CliProcess.Result b = cli().run(add(config, "cluster-bbb2222"));
        assertThat(b.exitCode()).as(b.toString()).isZero();
        assertThat(b.stdout()).contains("added cluster-bbb2222", "hsm-b2 is CREATE_IN_PROGRESS");

        JsonNode file = JSON.readTree(config.toFile());
        assertThat(file.path("clusters")).hasSize(2);
        JsonNode second = file.path("clusters").get(1).path("cluster");
        assertThat(file.path("clusters").get(1).path("type").asText()).isEqualTo("hsm1");
        assertThat(second.path("cluster_id").asText()).isEqualTo("cluster-bbb2222");
        assertThat(second.path("region").asText()).isEqualTo("us-east-1");
        assertThat(second.path("hsm_ca_file").asText()).isEqualTo(cluster.caFile().toAbsolutePath().toString());
        assertThat(second.path("servers").findValuesAsText("hostname")).containsExactly("10.1.1.21", "10.1.3.23");
        assertThat(second.path("servers").get(0).path("port").asInt()).isEqualTo(2223);

        CliProcess.Result table = cli().run("list-clusters", "--config-file", config.toString());
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout()).contains("SLOT", "cluster-aaa1111", "cluster-bbb2222", "10.1.3.23:2223");

        CliProcess.Result json = cli().run("list-clusters", "--json", "--config-file", config.toString());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode listed = JSON.readTree(json.stdout());
        assertThat(listed.path("clusters").findValuesAsText("cluster_id")).containsExactly("cluster-aaa1111", "cluster-bbb2222");

        CliProcess.Result removed = cli().run("remove-cluster", "--cluster-id", "cluster-aaa1111", "--config-file", config.toString());
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.stdout()).contains("removed cluster-aaa1111");
        assertThat(JSON.readTree(config.toFile()).path("clusters").findValuesAsText("cluster_id")).containsExactly("cluster-bbb2222");
    }

    @Test
    void addingAConfiguredClusterRefreshesItsHsmsAndSaysSo() throws Exception {
        Path config = dir.resolve("cfg.json");
        assertThat(cli().run(add(config, "cluster-aaa1111")).exitCode()).isZero();
        controlPlane.addHsm("cluster-aaa1111", ControlPlaneHsm.active("hsm-a3", "10.0.3.13", "us-east-1c"));
        try {
            CliProcess.Result again = cli().run(add(config, "cluster-aaa1111"));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.stdout()).contains("already configured", "2 -> 3");
            JsonNode file = JSON.readTree(config.toFile());
            assertThat(file.path("clusters")).hasSize(1);
            assertThat(file.path("clusters").get(0).path("cluster").path("servers").findValuesAsText("hostname"))
                    .containsExactly("10.0.1.11", "10.0.2.12", "10.0.3.13");
        } finally {
            controlPlane.removeHsm("cluster-aaa1111", "hsm-a3");
        }
    }

    @Test
    void keepsEverythingElseInAFileWrittenByTheSdk5Tool() throws Exception {
        Path config = dir.resolve("cloudhsm-pkcs11.cfg");
        String sdk5 = """
                {
                  "clusters": [
                    {
                      "type": "hsm1",
                      "cluster": {
                        "hsm_ca_file": "%s",
                        "servers": [
                          { "hostname": "10.9.9.9", "port": 2223, "enable": true }
                        ],
                        "options": { "disable_key_availability_check": false }
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
                """.formatted(cluster.caFile());
        Files.writeString(config, sdk5);
        CliProcess.Result r = cli().run(add(config, "cluster-aaa1111"));
        assertThat(r.exitCode()).as(r.toString()).isZero();

        ObjectNode after = (ObjectNode) JSON.readTree(config.toFile());
        ObjectNode before = (ObjectNode) JSON.readTree(sdk5);
        assertThat(after.path("logging")).isEqualTo(before.path("logging"));
        assertThat(after.path("clusters").get(0)).isEqualTo(before.path("clusters").get(0));
        assertThat(after.path("clusters")).hasSize(2);
        assertThat(after.path("clusters").get(1).path("cluster").path("cluster_id").asText()).isEqualTo("cluster-aaa1111");
    }

    @Test
    void twoProcessesAddingAtOnceBothLand() throws Exception {
        Path config = dir.resolve("concurrent.cfg");
        Process first = cli().start(add(config, "cluster-aaa1111"));
        Process second = cli().start(add(config, "cluster-bbb2222"));
        for (Process p : List.of(first, second)) {
            p.getOutputStream().close();
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        }
        assertThat(JSON.readTree(config.toFile()).path("clusters").findValuesAsText("cluster_id"))
                .containsExactlyInAnyOrder("cluster-aaa1111", "cluster-bbb2222");
    }

    @Test
    void takesAClientCertificateAndKeyInEveryPemForm() throws Exception {
        Path config = dir.resolve("mtls.cfg");
        for (String form : List.of("pkcs8", "pkcs1", "sec1")) {
            var client = cluster.issueClientCertificate(dir.resolve(form), form);
            CliProcess.Result r = cli().run(add(config, "cluster-aaa1111",
                    "--server-client-cert-file", client.certFile().toString(),
                    "--server-client-key-file", client.keyFile().toString()));
            assertThat(r.exitCode()).as(form + ": " + r).isZero();
            JsonNode c = JSON.readTree(config.toFile()).path("clusters").get(0).path("cluster");
            assertThat(c.path("client_cert_path").asText()).isEqualTo(client.certFile().toAbsolutePath().toString());
            assertThat(c.path("client_key_path").asText()).isEqualTo(client.keyFile().toAbsolutePath().toString());
        }
        // The newer option spellings are aliases.
        var client = cluster.issueClientCertificate(dir.resolve("alias"), "pkcs8");
        CliProcess.Result r = cli().run(add(config, "cluster-bbb2222",
                "--client-cert-hsm-tls-file", client.certFile().toString(),
                "--client-key-hsm-tls-file", client.keyFile().toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void printsItsVersionAndHelpForEverySubcommand() {
        CliProcess.Result version = cli().run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("configure-pkcs11 (Multislot) ");
        for (String sub : List.of("add-cluster", "remove-cluster", "list-clusters")) {
            CliProcess.Result help = cli().run(sub, "--help");
            assertThat(help.exitCode()).as(sub).isZero();
            assertThat(help.stdout()).contains("Usage: configure-pkcs11 " + sub, "--cluster-id".substring(0, 2));
        }
        assertThat(cli().run("add-cluster", "--help").stdout()).contains("--cluster-id", "--region", "--endpoint",
                "--hsm-ca-cert", "--server-client-cert-file", "--server-client-key-file");
    }

    @Test
    void readsTheConfigPathFromTheEnvironment() throws Exception {
        Path config = dir.resolve("from-env.cfg");
        List<String> args = new ArrayList<>(List.of(add(config, "cluster-aaa1111")));
        int at = args.indexOf("--config-file");
        args.remove(at + 1);
        args.remove(at);
        CliProcess.Result r = cli().env(ConfigFileOption.ENV_VAR, config.toString()).run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(JSON.readTree(config.toFile()).path("clusters")).hasSize(1);
    }
}
