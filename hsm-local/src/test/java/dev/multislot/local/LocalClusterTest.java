package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: files, addresses, isolation between clusters, validation of the spec. */
class LocalClusterTest {

    @TempDir
    Path dir;

    @Test
    void writesTheCaAndOneCertificatePerHsmOnDistinctLoopbackAddresses() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().clusterId("cluster-abc1234")
                .hsmCount(3).port(0).directory(dir).build())) {
            assertThat(cluster.clusterId()).isEqualTo("cluster-abc1234");
            assertThat(cluster.caFile()).isEqualTo(dir.resolve("customerCA.crt"));
            X509Certificate ca = TestHsmClient.readCertificate(cluster.caFile());
            assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            Set<String> hosts = new HashSet<>();
            for (LocalHsm hsm : cluster.hsms()) {
                assertThat(hsm.host()).matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
                assertThat(hsm.hsmId()).matches("hsm-[2-7a-zA-Z]{11,16}");
                assertThat(hsm.port()).isPositive();
                assertThat(hsm.isRunning()).isTrue();
                hosts.add(hsm.host());
                X509Certificate cert = TestHsmClient.readCertificate(hsm.certificateFile());
                cert.verify(ca.getPublicKey());
                Path key = dir.resolve(hsm.hsmId() + ".key");
                assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
                assertThat(Files.getPosixFilePermissions(key))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
            assertThat(hosts).hasSize(3);
            assertThat(cluster.hsm(2)).isSameAs(cluster.hsms().get(2));
            assertThatThrownBy(() -> cluster.hsm(3)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("3").hasMessageContaining("0..2");
        }
        assertThat(dir.resolve("customerCA.crt")).exists(); // a given directory is the caller's: kept
    }

    @Test
    void defaultsAreThreeHsmsOnPort2223AndAGeneratedIdAndATemporaryDirectoryDeletedOnClose() {
        Path created;
        try (LocalCluster a = LocalCluster.start(); LocalCluster b = LocalCluster.start()) {
            // Two clusters on the same port at once: each HSM still gets an address of its own.
            assertThat(a.clusterId()).matches("cluster-[2-7a-zA-Z]{11,16}").isNotEqualTo(b.clusterId());
            assertThat(a.hsms()).hasSize(3).allSatisfy(h -> assertThat(h.port()).isEqualTo(2223));
            Set<String> hosts = new HashSet<>();
            a.hsms().forEach(h -> hosts.add(h.host()));
            b.hsms().forEach(h -> hosts.add(h.host()));
            assertThat(hosts).hasSize(6);
            created = a.directory();
            assertThat(created.resolve("customerCA.crt")).exists();
        }
        assertThat(created).doesNotExist();
    }

    @Test
    void clustersShareNothing() {
        try (LocalCluster a = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build());
                LocalCluster b = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build());
                TestHsmClient ca = TestHsmClient.loggedIn(a, 0);
                TestHsmClient cb = TestHsmClient.loggedIn(b, 0)) {
            long key = TestHsmClient.ok(ca.call(new Request.GenerateKey(WireKeyType.AES_256, "mine")),
                    Response.KeyInfo.class).handle();
            assertThat(cb.call(new Request.GetKey(key)).status()).isEqualTo(Status.KEY_HANDLE_INVALID);
            assertThat(a.keyCount()).isEqualTo(1);
            assertThat(b.keyCount()).isZero();
            // Each cluster's HSMs are trusted through their own CA only.
            assertThatThrownBy(() -> TestHsmClient.connect(b.hsm(0), TestHsmClient.trusting(a.caFile())))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeIsIdempotentAndFreesTheAddresses() {
        LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build());
        LocalHsm hsm = cluster.hsm(0);
        cluster.close();
        cluster.close();
        assertThat(hsm.isRunning()).isFalse();
        assertThatThrownBy(hsm::start).hasMessageContaining("closed");
        assertThatThrownBy(() -> TestHsmClient.open(hsm.host(), hsm.port(), TestHsmClient.trusting(dir.resolve("x"))))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void specRefusesBadValuesNamingThem() {
        assertThatThrownBy(() -> LocalClusterSpec.builder().hsmCount(0)).hasMessageContaining("hsmCount")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> LocalClusterSpec.builder().port(70000)).hasMessageContaining("port")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> LocalClusterSpec.builder().clusterId("bad id/..")).hasMessageContaining("bad id/..");
        assertThatThrownBy(() -> LocalClusterSpec.builder().maxConcurrentOperations(-1))
                .hasMessageContaining("maxConcurrentOperations");
        assertThatThrownBy(() -> LocalClusterSpec.builder().maxFrameSize(10)).hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> LocalClusterSpec.builder().user("u", "")).hasMessageContaining("password of user u");
    }

    @Test
    void specToStringShowsUsersButNoPasswords() {
        LocalClusterSpec spec = LocalClusterSpec.builder().user("alice", "s3cret-pw").build();
        assertThat(spec.toString()).contains("alice").doesNotContain("s3cret");
        assertThat(spec.users()).containsExactly("alice");
        assertThat(LocalClusterSpec.builder().build().users()).containsExactly("crypto_user");
    }

    @Test
    void clientCertificateFormatsAreChecked() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build())) {
            assertThatThrownBy(() -> cluster.issueClientCertificate(dir, "der")).hasMessageContaining("'der'");
            assertThatThrownBy(() -> cluster.issueClientCertificate(dir, "sec1", "RSA")).hasMessageContaining("EC");
            ClientCertificate rsa8 = cluster.issueClientCertificate(dir.resolve("rsa8"), "pkcs8", "RSA");
            assertThat(rsa8.keyFile()).hasFileName("ssl-client.key");
            assertThat(rsa8.certFile()).hasFileName("ssl-client.crt");
        }
    }

    @Test
    void opensslVerifiesTheHsmCertificateChain() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/openssl").canExecute(), "openssl is not installed");
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(dir)
                .build())) {
            LocalHsm hsm = cluster.hsm(0);
            Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-connect", hsm.host() + ":" + hsm.port(),
                    "-CAfile", cluster.caFile().toString(), "-verify_ip", hsm.host(), "-verify_return_error")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).contains("Verify return code: 0 (ok)");
            assertThat(p.exitValue()).isZero();
        }
    }
}
