package dev.multislot.local;

import static dev.multislot.local.TestHsmClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.local.internal.pkcs11.Pkcs11Access;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.WireKeyType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's PKCS#11 backends as a subprocess: {@code --backend softhsm2 --directory DIR}
 * started twice serves the same clusters (ids, CA, HSM addresses) and the same tokens, so a key
 * made in the first run is there in the second; the JSON line names the backend, module, token and
 * SoftHSM2 config; {@code --backend pkcs11} errors are one line.
 */
class LocalMainSoftHsm2Test {

    @TempDir
    Path dir;

    @Test
    void aSecondRunOnTheSameDirectoryServesTheSameClustersAndKeys() throws Exception {
        SoftHsm2Home.requireInstalled();
        String[] args = {"--backend", "softhsm2", "--directory", dir.toString(), "--clusters", "2", "--hsms", "2",
            "--port", "0", "--json"};
        JsonNode first;
        Response.KeyInfo key;
        byte[] ca;
        Process p = launch(Map.of(), args);
        try {
            first = jsonLine(p);
            assertThat(first.get("clusters")).hasSize(2);
            for (JsonNode c : first.get("clusters")) {
                assertThat(c.get("backend").asText()).isEqualTo("softhsm2");
                assertThat(c.get("pkcs11_library").asText()).isEqualTo(SoftHsm2Home.LIBRARY.toString());
                assertThat(c.get("token_label").asText()).isEqualTo(c.get("cluster_id").asText());
                assertThat(c.get("softhsm2_conf").asText()).isEqualTo(dir.resolve("softhsm2/softhsm2.conf").toString());
            }
            JsonNode c0 = first.get("clusters").get(0);
            ca = Files.readAllBytes(Path.of(c0.get("ca_file").asText()));
            try (TestHsmClient c = client(c0)) {
                key = ok(c.call(new Request.GenerateKey(WireKeyType.EC_P256, "kept-across-runs")), Response.KeyInfo.class);
            }
        } finally {
            stop(p);
        }

        Process again = launch(Map.of(), args);
        try {
            JsonNode second = jsonLine(again);
            List<String> before = new ArrayList<>();
            List<String> after = new ArrayList<>();
            first.get("clusters").forEach(c -> before.add(c.get("cluster_id").asText() + " " + c.get("hsms")));
            second.get("clusters").forEach(c -> after.add(c.get("cluster_id").asText() + " " + c.get("hsms")));
            assertThat(after).as("same cluster ids, HSM addresses and ports").isEqualTo(before);
            JsonNode c0 = second.get("clusters").get(0);
            assertThat(Files.readAllBytes(Path.of(c0.get("ca_file").asText()))).as("the same CA").isEqualTo(ca);
            try (TestHsmClient c = client(c0)) {
                assertThat(ok(c.call(new Request.FindKeys(Optional.of("kept-across-runs"))), Response.KeyList.class).keys())
                        .containsExactly(key);
            }
        } finally {
            stop(again);
        }
    }

    @Test
    void pkcs11BackendErrorsAreOneLine() throws Exception {
        SoftHsm2Home.requireInstalled();
        Result missingModule = run(Map.of(LaunchBackend.PIN_ENV, "1234"), "--backend", "pkcs11", "--pkcs11-library",
                "/nonexistent/libvendor.so", "--token-label", "prod", "--port", "0");
        assertThat(missingModule.exit).isEqualTo(1);
        assertThat(missingModule.stderr.lines().toList()).containsExactly(
                "multislot local: cannot start the clusters: PKCS#11 library /nonexistent/libvendor.so does not exist");

        Result missingToken = run(Map.of(LaunchBackend.PIN_ENV, "1234"), "--backend", "pkcs11", "--pkcs11-library",
                SoftHsm2Home.LIBRARY.toString(), "--token-label", "no-such-token", "--port", "0");
        assertThat(missingToken.exit).isEqualTo(1);
        assertThat(missingToken.stderr.lines().toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("has no token labelled 'no-such-token'"));

        Result noPin = run(Map.of(), "--backend", "pkcs11", "--pkcs11-library", SoftHsm2Home.LIBRARY.toString(),
                "--token-label", "prod");
        assertThat(noPin.exit).isEqualTo(2);
        assertThat(noPin.stderr.lines().toList()).singleElement()
                .satisfies(l -> assertThat(l).contains("--pin-file FILE or the environment variable MULTISLOT_PKCS11_PIN"));
    }

    // ---------------------------------------------------------------- helpers

    private record Result(int exit, String stderr) {
    }

    private static TestHsmClient client(JsonNode cluster) {
        JsonNode hsm = cluster.get("hsms").get(0);
        TestHsmClient c = TestHsmClient.open(hsm.get("address").asText(), hsm.get("port").asInt(),
                TestHsmClient.trusting(Path.of(cluster.get("ca_file").asText())));
        c.hello();
        c.login(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD);
        return c;
    }

    private static JsonNode jsonLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the JSON line (stderr: %s)", new String(p.getErrorStream().readNBytes(
                p.getErrorStream().available()), StandardCharsets.UTF_8)).isNotNull();
        return new ObjectMapper().readTree(line);
    }

    private static void stop(Process p) throws InterruptedException {
        p.toHandle().destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // its addresses must be free for the next run
        }
    }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        Process p = launch(env, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Process launch(Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(Pkcs11Access.JVM_OPTION.split(" ")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", LocalMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove(LaunchBackend.PIN_ENV);
        pb.environment().putAll(env);
        return pb.start();
    }
}
