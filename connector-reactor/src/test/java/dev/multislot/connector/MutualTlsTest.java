package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.ClientCertificate;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Mutual TLS with client keys in each PEM form users have. */
class MutualTlsTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).requireClientCertificates(true).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "pkcs1", "sec1"})
    void clientCertificateWithKeyInThisFormatIsAccepted(String format, @TempDir Path dir) throws Exception {
        ClientCertificate client = cluster.issueClientCertificate(dir, format);
        String pem = Files.readString(client.keyFile());
        assertThat(pem).contains(switch (format) {
            case "pkcs8" -> "BEGIN PRIVATE KEY";
            case "pkcs1" -> "BEGIN RSA PRIVATE KEY";
            default -> "BEGIN EC PRIVATE KEY";
        });
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(),
                Clusters.config(cluster, client))) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER)
                    .block(Duration.ofSeconds(10));
            // TLS 1.3 reports a refused client certificate only on the first read: send requests.
            assertThat(session.random(16).block(Duration.ofSeconds(5))).hasSize(16);
        }
    }

    @Test
    void withoutAClientCertificateTheHsmRefusesTheConnection() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(cluster))) {
            StepVerifier.create(connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(SlotUnavailableException.class);
                        assertThat(((SlotUnavailableException) e).errors().values())
                                .allMatch(c -> c instanceof HsmTlsException || c.getMessage().contains("TLS"));
                    })
                    .verify(Duration.ofSeconds(10));
        }
    }
}
