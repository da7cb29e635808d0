package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * The SDK 5 configure form ({@code configure-pkcs11} without a subcommand) and each of its options,
 * run as real subprocesses against hsm-local's control plane: the fields written, exit codes and messages.
 */
class ConfigureFormIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONE = "cluster-formaaaaaaaa";
    private static final String TWO = "cluster-formbbbbbbbb";

    static LocalControlPlane controlPlane;

    @TempDir
    Path dir;

    @BeforeAll
    static void startControlPlane() {
        controlPlane = LocalControlPlane.start();
        controlPlane.putCluster(ControlPlaneCluster.active(ONE, "us-east-1",
                ControlPlaneHsm.active("hsm-formaaaaaaa1", "10.0.1.11", "us-east-1a"),
                ControlPlaneHsm.active("hsm-formaaaaaaa2", "10.0.2.12", "us-east-1b")));
        controlPlane.putCluster(ControlPlaneCluster.active(TWO, "us-east-1",
                ControlPlaneHsm.active("hsm-formbbbbbbb1", "10.1.1.21", "us-east-1a").withEniIpV6("fd00:1::21"),
                ControlPlaneHsm.active("hsm-formbbbbbbb2", "10.1.2.22", "us-east-1c").withEniIpV6("fd00:2::22"))
                .withNetworkType(ControlPlaneCluster.DUALSTACK));
    }

    @AfterAll
    static void stop() {
        controlPlane.close();
    }

    private CliProcess.Result run(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config-file");
        all.add(config.toString());
        return CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1").run(all.toArray(String[]::new));
    }

    private String endpoint() {
        return controlPlane.endpoint().toString();
    }

    private static JsonNode cluster(Path config, int i) throws Exception {
        return JSON.readTree(config.toFile()).path("clusters").get(i).path("cluster");
    }

    @Test
    void dashASetsTheServersOfTheOneClusterCreatingItWhenThereIsNone() throws Exception {
        Path config = dir.resolve("a.cfg");
        CliProcess.Result first = run(config, "-a", "10.0.1.12", "10.0.2.40");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("set the servers of servers:10.0.1.12 to 10.0.1.12:2223, 10.0.2.40:2223");
        JsonNode c = cluster(config, 0);
        assertThat(c.has("cluster_id")).isFalse();
        assertThat(c.path("hsm_ca_file").asText()).isEqualTo("/opt/cloudhsm/etc/customerCA.crt");
        assertThat(c.path("servers").findValuesAsText("hostname")).containsExactly("10.0.1.12", "10.0.2.40");
        assertThat(c.path("servers").findValuesAsText("port")).containsOnly("2223");
        assertThat(c.path("servers").findValuesAsText("enable")).containsOnly("true");

        CliProcess.Result second = run(config, "-a", "10.0.3.7", "[fd00::9]");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(JSON.readTree(config.toFile()).path("clusters")).hasSize(1);
        assertThat(cluster(config, 0).path("servers").findValuesAsText("hostname")).containsExactly("10.0.3.7", "fd00::9");
    }

    @Test
    void withSeveralClustersDashANeedsClusterIdAndOtherwiseListsTheConfiguredIds() throws Exception {
        Path config = dir.resolve("several.cfg");
        assertThat(run(config, "add-cluster", "--cluster-id", ONE, "--endpoint", endpoint()).exitCode()).isZero();
        assertThat(run(config, "add-cluster", "--cluster-id", TWO, "--endpoint", endpoint()).exitCode()).isZero();
        String before = Files.readString(config);

        CliProcess.Result ambiguous = run(config, "-a", "10.9.9.9");
        assertThat(ambiguous.exitCode()).as(ambiguous.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(ambiguous.stderr()).contains("-a", "2 clusters", ONE, TWO, "--cluster-id");
        assertThat(Files.readString(config)).isEqualTo(before);

        CliProcess.Result picked = run(config, "-a", "10.9.9.9", "--cluster-id", TWO);
        assertThat(picked.exitCode()).as(picked.toString()).isZero();
        assertThat(cluster(config, 1).path("servers").findValuesAsText("hostname")).containsExactly("10.9.9.9");
        assertThat(cluster(config, 0).path("servers").findValuesAsText("hostname")).containsExactly("10.0.1.11", "10.0.2.12");
    }

    @Test
    void clusterIdAloneSetsTheServersFromDescribeClustersAndRecordsRegionEndpointHsmIdsAndZones() throws Exception {
        Path config = dir.resolve("cid.cfg");
        CliProcess.Result r = run(config, "--cluster-id", ONE, "--region", "us-east-1", "--endpoint", endpoint());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("added " + ONE, "10.0.1.11:2223", "10.0.2.12:2223");
        JsonNode c = cluster(config, 0);
        assertThat(c.path("cluster_id").asText()).isEqualTo(ONE);
        assertThat(c.path("region").asText()).isEqualTo("us-east-1");
        assertThat(c.path("endpoint").asText()).isEqualTo(endpoint());
        assertThat(c.path("servers").findValuesAsText("hsm_id")).containsExactly("hsm-formaaaaaaa1", "hsm-formaaaaaaa2");
        assertThat(c.path("servers").findValuesAsText("availability_zone")).containsExactly("us-east-1a", "us-east-1b");
        assertThat(List.copyOf(JSON.readTree(config.toFile()).path("clusters").get(0).path("cluster").properties().stream()
                .map(java.util.Map.Entry::getKey).toList())).containsSubsequence("cluster_id", "region", "endpoint", "hsm_ca_file", "servers");
    }

    @Test
    void eachOptionIsWrittenWhereTheSdkWritesItToEveryClusterOrTheOneNamed() throws Exception {
        Path config = dir.resolve("options.cfg");
        assertThat(run(config, "add-cluster", "--cluster-id", ONE, "--endpoint", endpoint()).exitCode()).isZero();
        assertThat(run(config, "add-cluster", "--cluster-id", TWO, "--endpoint", endpoint()).exitCode()).isZero();

        CliProcess.Result all = run(config, "--disable-key-availability-check", "--enable-validate-key-at-init",
                "--default-retry-mode", "off");
        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.stdout()).contains(ONE + ", " + TWO, "key availability check off", "validate key at init on", "default retry mode off");
        for (int i = 0; i < 2; i++) {
            JsonNode o = cluster(config, i).path("options");
            assertThat(o.path("disable_key_availability_check").asBoolean()).isTrue();
            assertThat(o.path("validate_key_at_init").asBoolean()).isTrue();
            assertThat(o.path("default_retry_mode").asText()).isEqualTo("off");
        }

        CliProcess.Result one = run(config, "-a", "10.0.1.11", "10.0.2.12", "--cluster-id", ONE,
                "--enable-key-availability-check", "--disable-validate-key-at-init", "--default-retry-mode", "standard");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        JsonNode first = cluster(config, 0);
        assertThat(first.path("options").path("disable_key_availability_check").asBoolean()).isFalse();
        assertThat(first.path("options").path("validate_key_at_init").asBoolean()).isFalse();
        assertThat(first.path("options").path("default_retry_mode").asText()).isEqualTo("standard");
        // -a kept what add-cluster recorded about servers that stay.
        assertThat(first.path("servers").findValuesAsText("hsm_id")).containsExactly("hsm-formaaaaaaa1", "hsm-formaaaaaaa2");
        assertThat(cluster(config, 1).path("options").path("default_retry_mode").asText()).isEqualTo("off");

        CliProcess.Result listed = run(config, "list-clusters", "--json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        JsonNode json = JSON.readTree(listed.stdout());
        assertThat(json.at("/clusters/0/options/default_retry_mode").asText()).isEqualTo("standard");
        assertThat(json.at("/clusters/1/options/disable_key_availability_check").asBoolean()).isTrue();
        assertThat(json.at("/clusters/1/endpoint").asText()).isEqualTo(endpoint());
        assertThat(json.at("/clusters/1/servers/1/availability_zone").asText()).isEqualTo("us-east-1c");
        CliProcess.Result table = run(config, "list-clusters");
        assertThat(table.stdout()).contains("slot 0 options: key availability check on, validate key at init off, default retry mode standard",
                "slot 1 options: key availability check off, validate key at init on, default retry mode off", "endpoint " + endpoint());
    }

    @Test
    void theFourLoggingOptionsWriteTheLoggingObjectAndAreShown() throws Exception {
        Path config = dir.resolve("logging.cfg");
        CliProcess.Result r = run(config, "--log-type", "file", "--log-file", "/var/log/cloudhsm/pkcs11.log",
                "--log-level", "warn", "--log-rotation", "hourly");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode logging = JSON.readTree(config.toFile()).path("logging");
        assertThat(logging.path("log_type").asText()).isEqualTo("file");
        assertThat(logging.path("log_file").asText()).isEqualTo("/var/log/cloudhsm/pkcs11.log");
        assertThat(logging.path("log_level").asText()).isEqualTo("warn");
        assertThat(logging.path("log_interval").asText()).isEqualTo("hourly");
        assertThat(run(config, "--log-level", "trace").exitCode()).isZero();
        assertThat(JSON.readTree(config.toFile()).path("logging").path("log_interval").asText()).isEqualTo("hourly");
        assertThat(run(config, "list-clusters").stdout())
                .contains("log_type=file log_file=/var/log/cloudhsm/pkcs11.log log_level=trace log_interval=hourly");
        assertThat(JSON.readTree(run(config, "list-clusters", "--json").stdout()).at("/logging/log_level").asText()).isEqualTo("trace");
    }

    @Test
    void badValuesAreOneLineNamingTheOptionWithTheDocumentedExitCode() throws Exception {
        Path config = dir.resolve("bad.cfg");
        assertThat(run(config, "-a", "10.0.0.1").exitCode()).isZero();
        String before = Files.readString(config);
        record Case(int exit, String[] args, String... message) {
        }
        List<Case> cases = List.of(
                new Case(ExitCode.BAD_INPUT, new String[] {"--log-type", "syslog"}, "--log-type syslog", "term, file"),
                new Case(ExitCode.BAD_INPUT, new String[] {"--log-level", "verbose"}, "--log-level verbose", "error, warn, info, debug, trace"),
                new Case(ExitCode.BAD_INPUT, new String[] {"--log-rotation", "weekly"}, "--log-rotation weekly", "never, hourly, daily"),
                new Case(ExitCode.BAD_INPUT, new String[] {"--default-retry-mode", "always"}, "--default-retry-mode always", "off or standard"),
                new Case(ExitCode.BAD_INPUT, new String[] {"-a", "hsm.example.com"}, "-a hsm.example.com", "IP address"),
                new Case(ExitCode.BAD_INPUT, new String[] {"-a", "10.0.0.300"}, "-a 10.0.0.300"),
                new Case(ExitCode.USAGE, new String[] {"--disable-key-availability-check", "--enable-key-availability-check"},
                        "give one of them"),
                new Case(ExitCode.USAGE, new String[] {"--enable-validate-key-at-init", "--disable-validate-key-at-init"},
                        "give one of them"),
                new Case(ExitCode.USAGE, new String[] {"--region", "us-east-1"}, "--region goes with --cluster-id"),
                new Case(ExitCode.USAGE, new String[] {"-a", "10.0.0.2", "--cluster-id", ONE, "--endpoint", endpoint()},
                        "--endpoint", "does not go with -a"),
                new Case(ExitCode.USAGE, new String[] {"--server-client-cert-file", "/nonexistent.crt"}, "--server-client-key-file"),
                new Case(ExitCode.USAGE, new String[] {}, "nothing to do", "-a", "--cluster-id"),
                new Case(ExitCode.USAGE, new String[] {"--log-level", "debug", "list-clusters"}, "--log-level",
                        "does not go before the subcommand list-clusters"),
                new Case(ExitCode.BAD_INPUT, new String[] {"--hsm-ca-cert", dir.resolve("missing.crt").toString()}, "--hsm-ca-cert"),
                new Case(ExitCode.AWS_API_ERROR, new String[] {"--cluster-id", "cluster-notthereaaaa", "--endpoint", endpoint()},
                        "cluster-notthereaaaa"));
        for (Case c : cases) {
            CliProcess.Result r = run(config, c.args());
            assertThat(r.exitCode()).as(String.join(" ", c.args()) + ": " + r).isEqualTo(c.exit());
            assertThat(r.stderr().strip()).as(String.join(" ", c.args())).startsWith("error: ").doesNotContain("\n").contains(c.message());
            assertThat(Files.readString(config)).as("nothing written by " + String.join(" ", c.args())).isEqualTo(before);
        }
        CliProcess.Result none = run(dir.resolve("empty.cfg"), "--disable-key-availability-check");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(none.stderr()).contains("no cluster is configured");
    }

    @Test
    void addClusterWritesIpv6AddressesOfADualStackClusterAndRefusesAnIpv4OnlyOne() throws Exception {
        Path config = dir.resolve("v6.cfg");
        CliProcess.Result v6 = run(config, "add-cluster", "--cluster-id", TWO, "--endpoint", endpoint(), "--address-family", "ipv6");
        assertThat(v6.exitCode()).as(v6.toString()).isZero();
        assertThat(v6.stdout()).contains("[fd00:1::21]:2223", "[fd00:2::22]:2223");
        assertThat(cluster(config, 0).path("servers").findValuesAsText("hostname")).containsExactly("fd00:1::21", "fd00:2::22");

        String before = Files.readString(config);
        CliProcess.Result v4only = run(config, "add-cluster", "--cluster-id", ONE, "--endpoint", endpoint(), "--address-family", "ipv6");
        assertThat(v4only.exitCode()).as(v4only.toString()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(v4only.stderr()).contains("--address-family ipv6", ONE, "network type IPV4", "EniIpV6", "nothing was written");
        assertThat(Files.readString(config)).isEqualTo(before);
        CliProcess.Result bad = run(config, "add-cluster", "--cluster-id", ONE, "--endpoint", endpoint(), "--address-family", "ipx");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(bad.stderr()).contains("--address-family ipx: expected ipv4 or ipv6");
    }

    @Test
    void helpNamesEveryOptionOfTheConfigureForm() {
        CliProcess.Result help = run(dir.resolve("h.cfg"), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("-a=<HSM ENI IP>", "--cluster-id", "--region", "--endpoint", "--hsm-ca-cert",
                "--server-client-cert-file", "--client-cert-hsm-tls-file", "--server-client-key-file", "--client-key-hsm-tls-file",
                "--disable-key-availability-check", "--enable-key-availability-check", "--disable-validate-key-at-init",
                "--enable-validate-key-at-init", "--default-retry-mode", "--log-type", "--log-file", "--log-level",
                "--log-rotation", "options.disable_key_availability_check", "logging.log_interval", "add-cluster", "remove-cluster");
        assertThat(run(dir.resolve("h.cfg"), "add-cluster", "--help").stdout()).contains("--address-family", "Recorded with the cluster");
    }
}
