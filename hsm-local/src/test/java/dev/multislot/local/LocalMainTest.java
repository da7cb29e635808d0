package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.local.internal.launch.LaunchOutput;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's main class, run as a real subprocess JVM, and its output format. */
class LocalMainTest {

    @TempDir
    Path dir;

    @Test
    void jsonModePrintsOneLineThenServesUntilTerminated() throws Exception {
        Process p = launch("--clusters", "2", "--hsms", "2", "--port", "0", "--json", "--directory", dir.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the JSON line (stderr: %s)", stderrSoFar(p)).isNotNull();
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("clusters")).hasSize(2);
            for (JsonNode c : json.get("clusters")) {
                assertThat(c.get("cluster_id").asText()).matches("cluster-[2-7a-zA-Z]{11,16}");
                Path ca = Path.of(c.get("ca_file").asText());
                assertThat(ca).exists().startsWith(dir);
                assertThat(c.get("hsms")).hasSize(2);
                for (JsonNode h : c.get("hsms")) {
                    assertThat(h.get("address").asText()).startsWith("127.");
                    assertThat(h.get("port").asInt()).isPositive();
                }
            }
            // Serve a real request through the first HSM listed, trusting the CA file printed.
            JsonNode first = json.get("clusters").get(0);
            JsonNode hsm = first.get("hsms").get(0);
            try (TestHsmClient c = TestHsmClient.open(hsm.get("address").asText(), hsm.get("port").asInt(),
                    TestHsmClient.trusting(Path.of(first.get("ca_file").asText())))) {
                assertThat(c.hello().clusterId()).isEqualTo(first.get("cluster_id").asText());
                c.login(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD);
                assertThat(c.call(new Request.Random(8))).isInstanceOf(Response.Bytes.class);
            }

            // The control plane it serves knows the clusters (AWS JSON 1.1, region from the SigV4 scope).
            String endpoint = json.get("control_plane_endpoint").asText();
            assertThat(endpoint).startsWith("http://127.0.0.1:");
            java.net.http.HttpResponse<String> described = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(endpoint + "/"))
                            .header("Content-Type", "application/x-amz-json-1.1")
                            .header("X-Amz-Target", "BaldrApiService.DescribeClusters")
                            .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cloudhsm/aws4_request,"
                                    + " SignedHeaders=host, Signature=00")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"Filters\":{\"clusterIds\":[\"" + first.get("cluster_id").asText() + "\"]}}"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
            JsonNode hsms = new ObjectMapper().readTree(described.body()).get("Clusters").get(0).get("Hsms");
            assertThat(hsms.findValuesAsText("EniIp")).contains(hsm.get("address").asText());

            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its pipes)
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).as("nothing but the one JSON line on stdout").isNull();
            assertThatClosed(hsm.get("address").asText(), hsm.get("port").asInt(), Path.of(first.get("ca_file").asText()));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badInputExitsWithTwoAndOneStderrLineNamingTheOption() throws Exception {
        for (List<String> args : List.of(List.of("--clusters", "abc"), List.of("--frobnicate"))) {
            Process p = launch(args.toArray(String[]::new));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code for %s", args).isEqualTo(2);
            assertThat(err.lines().toList()).as("stderr for %s", args).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("multislot local: ").contains(args.get(0)));
            assertThat(out).isEmpty();
        }
    }

    @Test
    void optionsAreCheckedAndNamedInTheMessage() throws Exception {
        assertThat(LocalMain.Options.parse(new String[] {"--clusters=3", "--hsms", "2", "--json", "--port", "0"}))
                .satisfies(o -> {
                    assertThat(o.clusters).isEqualTo(3);
                    assertThat(o.hsms).isEqualTo(2);
                    assertThat(o.json).isTrue();
                    assertThat(o.port).isZero();
                });
        assertBad(List.of("--hsms", "99"), "--hsms must be a whole number from 1 to 32, was 99");
        assertBad(List.of("--clusters", "0"), "--clusters must be a whole number from 1 to 16, was 0");
        assertBad(List.of("--port"), "--port needs a value");
        assertBad(List.of("--port", "--json"), "--port needs a value");
        assertBad(List.of("--json=yes"), "--json takes no value");
        assertBad(List.of("--directory", " "), "--directory must name a directory");
        assertBad(List.of("local"), "unknown option 'local'");
    }

    private static void assertBad(List<String> args, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalMain.Options.parse(args.toArray(String[]::new)))
                .isInstanceOf(LocalMain.BadInput.class).hasMessageContaining(message);
    }

    @Test
    void textAndJsonRenderTheSameFieldsIncludingAddedOnes() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).port(0).build())) {
            Map<String, Object> fields = LaunchOutput.describe(cluster);
            fields.put("control_plane_endpoint", "http://127.0.0.1:1234");
            String json = LaunchOutput.json(List.of(fields));
            assertThat(json).doesNotContain("\n");
            JsonNode c = new ObjectMapper().readTree(json).get("clusters").get(0);
            assertThat(c.get("cluster_id").asText()).isEqualTo(cluster.clusterId());
            assertThat(c.get("ca_file").asText()).isEqualTo(cluster.caFile().toAbsolutePath().toString());
            assertThat(c.get("hsms").get(1).get("address").asText()).isEqualTo(cluster.hsm(1).host());
            assertThat(c.get("hsms").get(1).get("port").asInt()).isEqualTo(cluster.hsm(1).port());
            assertThat(c.get("control_plane_endpoint").asText()).isEqualTo("http://127.0.0.1:1234");
            List<String> names = new ArrayList<>();
            c.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("cluster_id", "ca_file", "hsms", "control_plane_endpoint");

            String text = LaunchOutput.text(List.of(fields));
            assertThat(text).contains(cluster.clusterId(), cluster.caFile().toAbsolutePath().toString(),
                    cluster.hsm(0).host() + ":" + cluster.hsm(0).port(), "control_plane_endpoint: http://127.0.0.1:1234");
        }
    }

    private static void assertThatClosed(String host, int port, Path ca) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestHsmClient.open(host, port, TestHsmClient.trusting(ca)))
                .hasMessageContaining("cannot connect");
    }

    private static Process launch(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.dev.multislot=warn",
                LocalMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    private static String stderrSoFar(Process p) {
        try {
            return p.getErrorStream().available() > 0
                    ? new String(p.getErrorStream().readNBytes(p.getErrorStream().available()), StandardCharsets.UTF_8)
                    : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
