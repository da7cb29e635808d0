package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.local.HsmCertificateSan;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/**
 * Only the cluster's CA is trusted; TLS failures name the cluster and the CA file. An HSM
 * certificate must name the address dialled unless host name verification is off, and even then
 * it must come from the cluster's CA.
 */
class TlsTrustTest {

    private static LocalCluster cluster;
    private static LocalCluster otherCluster;
    private static LocalCluster noSanCluster;
    private static LocalCluster otherAddressCluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
        otherCluster = Clusters.start(1);
        noSanCluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1)
                .hsmCertificateSan(HsmCertificateSan.NONE).build());
        otherAddressCluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1)
                .hsmCertificateSan(HsmCertificateSan.OTHER_ADDRESS).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
        otherCluster.close();
        noSanCluster.close();
        otherAddressCluster.close();
    }

    @Test
    void theFixturesCertificatesNameNoAddressOrAnotherOne() throws Exception {
        // Guards the tests below: they are only meaningful if the HSMs' certificates really lack the dialled address.
        assertThat(serverCertificate(noSanCluster).getSubjectAlternativeNames()).isNull();
        assertThat(serverCertificate(otherAddressCluster).getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .contains(HsmCertificateSan.OTHER_ADDRESS_TEXT)
                .doesNotContain(otherAddressCluster.hsm(0).host());
        assertThat(serverCertificate(cluster).getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .contains(cluster.hsm(0).host());
    }

    /**
     * Logs in to a slot whose only HSM refuses the TLS handshake: the login fails with slot
     * unavailable, and the HSM's error in it, returned, is a TLS error.
     */
    private static Throwable tlsFailureOfLogin(Slot slot) {
        assertThat(slot.health().isAvailable()).isFalse();
        Throwable[] cause = new Throwable[1];
        StepVerifier.create(slot.login(Clusters.USER))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(SlotUnavailableException.class);
                    cause[0] = ((SlotUnavailableException) e).errors().values().iterator().next();
                })
                .verify(Duration.ofSeconds(30));
        assertThat(cause[0]).isInstanceOf(HsmTlsException.class);
        return cause[0];
    }

    @ParameterizedTest
    @EnumSource(value = HsmCertificateSan.class, names = {"NONE", "OTHER_ADDRESS"})
    void byDefaultACertificateThatDoesNotNameTheDialledAddressFailsWithHsmTlsException(HsmCertificateSan san) {
        LocalCluster target = san == HsmCertificateSan.NONE ? noSanCluster : otherAddressCluster;
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(target))) {
            assertThat(tlsFailureOfLogin(connector.slot(Clusters.id(target)).orElseThrow()))
                    .hasMessageContaining(target.clusterId())
                    .hasMessageContaining(target.hsm(0).host())
                    .hasMessageContaining(target.caFile().toString())
                    // The JDK's words for it: the certificate names no, or another, address.
                    .hasMessageContaining("subject alternative names");
        }
    }

    @ParameterizedTest
    @EnumSource(value = HsmCertificateSan.class, names = {"NONE", "OTHER_ADDRESS"})
    void withHostnameVerificationOffACertificateFromTheClusterCaIsAcceptedWhateverItNames(HsmCertificateSan san) {
        LocalCluster target = san == HsmCertificateSan.NONE ? noSanCluster : otherAddressCluster;
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().hostnameVerification(false).build(),
                Clusters.config(target))) {
            SlotSession session = connector.slot(Clusters.id(target)).orElseThrow().login(Clusters.USER)
                    .block(Duration.ofSeconds(30));
            assertThat(session.random(16).block(Duration.ofSeconds(30))).hasSize(16);
        }
    }

    @Test
    void withHostnameVerificationOffACertificateFromAnotherCaStillFails() {
        // The HSM's certificate names no address, so only the CA check can refuse it.
        ClusterConfig wrongCa = new ClusterConfig(Clusters.id(noSanCluster), Optional.empty(), otherCluster.caFile(),
                Clusters.servers(noSanCluster), Optional.empty(), Optional.empty());
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().hostnameVerification(false).build(),
                wrongCa)) {
            assertThat(tlsFailureOfLogin(connector.slot(Clusters.id(noSanCluster)).orElseThrow()))
                    .hasMessageContaining(noSanCluster.clusterId())
                    .hasMessageContaining(otherCluster.caFile().toString())
                    .hasMessageContaining("host name verification off");
        }
    }

    private static X509Certificate serverCertificate(LocalCluster c) throws Exception {
        try (InputStream in = Files.newInputStream(c.hsm(0).certificateFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void hsmWithACertificateFromAnotherCaFailsWithHsmTlsExceptionNamingClusterAndCaFile() {
        // The servers of one cluster, but the CA file of another.
        ClusterConfig wrongCa = new ClusterConfig(Clusters.id(cluster), Optional.empty(), otherCluster.caFile(),
                Clusters.servers(cluster), Optional.empty(), Optional.empty());
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), wrongCa)) {
            var slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            assertThat(slot.health().isAvailable()).isFalse();
            StepVerifier.create(slot.login(Clusters.USER))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(SlotUnavailableException.class);
                        Throwable cause = ((SlotUnavailableException) e).errors().values().iterator().next();
                        assertThat(cause).isInstanceOf(HsmTlsException.class)
                                .hasMessageContaining(cluster.clusterId())
                                .hasMessageContaining(otherCluster.caFile().toString());
                        assertThat(e.getCause()).isSameAs(cause);
                    })
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void unreadableCaFileIsReportedAsHsmDownNamingTheFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-ca.crt");
        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        for (Path ca : new Path[] {missing, garbage}) {
            ClusterConfig config = new ClusterConfig(ClusterId.of("cluster-badca"), Optional.empty(), ca,
                    Clusters.servers(cluster), Optional.empty(), Optional.empty());
            ReactorHsmConnector connector = ReactorHsmConnector.builder()
                    .options(Clusters.testOptions().build())
                    .configSource(new TestConfigSource(java.util.List.of(config)))
                    .build();
            var down = connector.events().filter(ev -> ev instanceof SlotEvent.HsmDown).next().toFuture();
            connector.connect().block(Duration.ofSeconds(10));
            try {
                SlotEvent.HsmDown event = (SlotEvent.HsmDown) down.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(event.reason()).contains(ca.toString());
                StepVerifier.create(connector.slot(ClusterId.of("cluster-badca")).orElseThrow().login(Clusters.USER))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SlotUnavailableException.class)
                                .hasMessageContaining(ca.toString()))
                        .verify(Duration.ofSeconds(5));
            } finally {
                connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
            }
        }
    }
}
