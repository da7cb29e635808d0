package dev.multislot.examples.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/multislot service} as the README shows it: a real subprocess on hsm-local, then the
 * README's session (create a key, sign, fetch the PEM) and the signature checked by {@code openssl}.
 */
class ServiceLauncherIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"software", "softhsm2"})
    void theReadmeSessionWorksAndOpensslVerifiesTheSignature(String backend) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/multislot").toString(), "service", "--port", "0",
                "--backend", backend)
                .directory(ROOT.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("MULTISLOT_NO_BUILD", "true");
        Process service = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the ready line; stderr: %s", stderr()).isNotNull();
            JsonNode ready = JSON.readTree(line);
            URI url = URI.create(ready.get("url").asText());
            assertThat(ready.get("clusters")).hasSize(2);
            assertThat(ready.get("backend").asText()).isEqualTo(backend);
            assertThat(Path.of(ready.get("config_file").asText())).isRegularFile();
            String cluster = ready.get("clusters").get(0).asText();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(url.resolve("/v1/slots/" + cluster + "/keys"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"EC_P256\",\"label\":\"readme\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            long handle = JSON.readTree(created.body()).get("handle").asLong();
            String key = url + "/v1/slots/" + cluster + "/keys/" + handle;

            Path message = Files.writeString(dir.resolve("message.txt"), "hello from the README\n");
            HttpResponse<byte[]> signature = http.send(HttpRequest.newBuilder(URI.create(key + "/sign?algorithm=ECDSA_SHA256"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofFile(message)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(signature.statusCode()).isEqualTo(200);
            Path sig = Files.write(dir.resolve("message.sig"), signature.body());
            HttpResponse<String> pem = http.send(HttpRequest.newBuilder(URI.create(key + "/public-key")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pem.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-pem-file"));
            Path pub = Files.writeString(dir.resolve("public.pem"), pem.body());

            Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature",
                    sig.toString(), message.toString()).redirectErrorStream(true).start();
            String verdict = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(verdict.trim()).isEqualTo("Verified OK");
            assertThat(openssl.exitValue()).isZero();
        } finally {
            service.destroy();
            // A couple of seconds here; the shutdown hook once waited out its whole 40 s bound.
            assertThat(service.waitFor(20, TimeUnit.SECONDS)).as("the launcher stops within 20 s of SIGTERM").isTrue();
        }
        assertThat(service.exitValue()).as("exit code after SIGTERM; stderr: %s", stderr()).isIn(0, 143);
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
