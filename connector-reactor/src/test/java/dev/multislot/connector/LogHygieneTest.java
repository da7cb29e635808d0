package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.AeadCiphertext;
import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.Credentials;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.ClientCertificate;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * Runs in its own Surefire execution with every logger at TRACE, written to one file (see the
 * module's pom): a run with mutual TLS, a rejected and an accepted login, a login replay and key
 * operations logs each connection's life and each frame, and never a password, PIN, payload or
 * private key.
 */
@EnabledIfSystemProperty(named = "org.slf4j.simpleLogger.defaultLogLevel", matches = "trace")
class LogHygieneTest {

    private static final String USER = "hygiene_user";
    private static final String PASSWORD = "Zq8-hygiene-Secret-771";
    private static final String WRONG_PASSWORD = "Wr0ng-hygiene-Guess-339";
    private static final String PLAINTEXT = "payload-never-logged-5512";

    @TempDir
    Path dir;

    @Test
    void aTraceRunLogsConnectionsAndFramesButNoSecret() throws Exception {
        Path logFile = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile"));
        ClientCertificate client;
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2)
                .requireClientCertificates(true).user(USER, PASSWORD).build())) {
            client = cluster.issueClientCertificate(dir, "pkcs8");
            // Generous timeouts: a TRACE run writes every frame to a file, on a machine other builds share.
            try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().connectTimeout(Duration.ofSeconds(10))
                            .requestTimeout(Duration.ofSeconds(30)).attemptTimeout(Duration.ofSeconds(10)).build(),
                    Clusters.config(cluster, client))) {
                Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
                Await.until("every HSM to be connected", Duration.ofSeconds(60),
                        () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> !n.readyConnections().isEmpty()));
                StepVerifier.create(slot.login(Credentials.fromPin((USER + ":" + WRONG_PASSWORD).toCharArray())))
                        .expectError(AuthenticationFailedException.class).verify(Duration.ofSeconds(30));
                SlotSession session = slot.login(Credentials.fromPin((USER + ":" + PASSWORD).toCharArray()))
                        .block(Duration.ofSeconds(30));
                KeyRef aes = session.generateKey(KeyType.AES_256, "hygiene-aes").block();
                byte[] plaintext = PLAINTEXT.getBytes(StandardCharsets.UTF_8);
                AeadCiphertext ct = session.encrypt(aes, CipherAlgorithm.AES_GCM, plaintext, new byte[0]).block();
                assertThat(session.decrypt(aes, CipherAlgorithm.AES_GCM, ct, new byte[0]).block()).isEqualTo(plaintext);
                KeyRef ec = session.generateKey(KeyType.EC_P256, "hygiene-ec").block();
                byte[] signature = session.sign(ec, SignatureAlgorithm.ECDSA_SHA256, plaintext).block();
                assertThat(session.verify(ec, SignatureAlgorithm.ECDSA_SHA256, plaintext, signature).block()).isTrue();
                session.publicKey(ec).block();
                // A new connection replays the login: restart one HSM and wait for it to carry the login again.
                cluster.hsm(1).stop();
                Await.until("the HSM's connections to close", Duration.ofSeconds(20), () -> ((SlotImpl) slot).nodes().stream().anyMatch(n -> n.readyConnections().isEmpty()));
                cluster.hsm(1).start();
                Await.until("every connection to carry the login again", Duration.ofSeconds(30),
                        () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> !n.readyConnections().isEmpty()
                                && n.readyConnections().stream().allMatch(c -> c.loginGeneration() > 0)));
                session.random(16).block();
                session.deleteKey(aes).block();
            }
        }
        // The execution's JVM (re)creates the file when logging starts: all of it is this run.
        String log = Files.readString(logFile);
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, WRONG_PASSWORD, USER + ":" + PASSWORD, PLAINTEXT));
        for (String s : List.of(PASSWORD, WRONG_PASSWORD, PLAINTEXT)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            secrets.add(HexFormat.of().formatHex(b));
            secrets.add(HexFormat.ofDelimiter(" ").formatHex(b));
            secrets.add(HexFormat.of().withUpperCase().formatHex(b));
            secrets.add(Base64.getEncoder().encodeToString(b));
        }
        for (String line : Files.readAllLines(client.keyFile())) {
            if (!line.startsWith("-----") && line.length() >= 16) {
                secrets.add(line); // the client's private key, line by line of its PEM
            }
        }
        for (String secret : secrets) {
            assertThat(log).as("the TRACE log must not contain %s", secret).doesNotContain(secret);
        }
        // The log is not empty by accident: the run is there, at every level this test is about.
        assertThat(log).contains("opening a connection", "TLS up (TLSv1.3", "HELLO done", "replaying the login of user",
                "login replayed", "connection closed (", "sent LOGIN id", "received LOGIN PIN_INCORRECT id",
                "received ENCRYPT OK id", "sent DECRYPT id", "length ", "logged in");
        assertThat(log.lines().count()).isGreaterThan(100);
    }
}
