package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With requireClientCertificates, only clients holding a certificate from the cluster CA are served. */
class MutualTlsTest {

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(dir.resolve("cluster"))
                .requireClientCertificates(true).build());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pkcs8", "pkcs1", "sec1"})
    void clientCertificateFromTheClusterCaIsAccepted(String keyFormat) throws Exception {
        ClientCertificate cert = cluster.issueClientCertificate(dir.resolve(keyFormat), keyFormat);
        String pem = Files.readString(cert.keyFile());
        assertThat(pem).startsWith(switch (keyFormat) {
            case "pkcs8" -> "-----BEGIN PRIVATE KEY-----";
            case "pkcs1" -> "-----BEGIN RSA PRIVATE KEY-----";
            default -> "-----BEGIN EC PRIVATE KEY-----";
        });
        assertThat(Files.readString(cert.certFile())).startsWith("-----BEGIN CERTIFICATE-----");
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile(), cert))) {
            assertThat(c.hello().clusterId()).isEqualTo(cluster.clusterId());
        }
    }

    @Test
    void clientWithoutCertificateGetsNoAnswerAndOthersAreStillServed() {
        ClientCertificate good = cluster.issueClientCertificate(dir.resolve("good"), "pkcs8");
        try (TestHsmClient bystander = TestHsmClient.connect(cluster.hsm(0),
                TestHsmClient.trusting(cluster.caFile(), good))) {
            bystander.hello();
            // With TLS 1.3 the client "connects"; the server's refusal shows when it reads.
            TestHsmClient anonymous = TestHsmClient.open(cluster.hsm(0).host(), cluster.hsm(0).port(),
                    TestHsmClient.trusting(cluster.caFile()));
            CompletableFuture<ResponseFrame> hello = anonymous.send(new Request.Hello(ProtocolConstants.VERSION, "anon"));
            assertThat(anonymous.awaitClosed()).isTrue();
            assertThat(hello).isCompletedExceptionally();
            assertThat(anonymous.arrivals).isEmpty();
            anonymous.close();

            assertThat(bystander.call(new Request.Ping(new byte[] {1}))).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void certificateFromAnotherClustersCaIsRefused() throws Exception {
        try (LocalCluster other = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .directory(dir.resolve("other")).build())) {
            ClientCertificate foreign = other.issueClientCertificate(dir.resolve("foreign"), "sec1");
            TestHsmClient c = TestHsmClient.open(cluster.hsm(0).host(), cluster.hsm(0).port(),
                    TestHsmClient.trusting(cluster.caFile(), foreign));
            CompletableFuture<ResponseFrame> hello = c.send(new Request.Hello(ProtocolConstants.VERSION, "foreign"));
            assertThat(c.awaitClosed()).isTrue();
            assertThat(hello).failsWithin(1, TimeUnit.SECONDS);
            c.close();
        }
    }
}
