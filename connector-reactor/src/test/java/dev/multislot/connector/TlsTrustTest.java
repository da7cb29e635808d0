package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Only the cluster's CA is trusted; TLS failures name the cluster and the CA file. */
class TlsTrustTest {

    private static LocalCluster cluster;
    private static LocalCluster otherCluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
        otherCluster = Clusters.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        otherCluster.close();
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
