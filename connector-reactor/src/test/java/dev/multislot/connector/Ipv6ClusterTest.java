package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * An IPv6 cluster end to end: HSMs on ::1 (one per port), written in the config as "[::1]"
 * literals, dialled with the certificate's IPv6 subjectAltName checked; keys made, signed and
 * verified on both HSMs; events and the slot name the HSMs as [::1]:port.
 */
class Ipv6ClusterTest {

    @Test
    void anIpv6ClusterSignsEndToEndWithItsSubjectAltNameChecked() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).ipv6(true).build())) {
            List<ServerConfig> servers = cluster.hsms().stream()
                    .map(h -> new ServerConfig("[" + h.host() + "]", h.port(), true)).toList();
            ClusterConfig config = new ClusterConfig(ClusterId.of(cluster.clusterId()), Optional.empty(), cluster.caFile(),
                    servers, Optional.empty(), Optional.empty());
            TestConfigSource source = new TestConfigSource(List.of(config));
            ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
            try (ReactorHsmConnector connector = ReactorHsmConnector.builder()
                    .options(Clusters.testOptions().hostnameVerification(true).build())
                    .configSource(source).build()) {
                Disposable listening = connector.events().subscribe(events::add);
                connector.connect().block(Duration.ofSeconds(20));
                var slot = connector.slot(ClusterId.of(cluster.clusterId())).orElseThrow();
                assertThat(slot.hsms()).containsExactlyElementsOf(cluster.hsms().stream()
                        .map(h -> new HsmAddress("::1", h.port())).toList());
                assertThat(slot.hsms()).allSatisfy(a -> assertThat(a.toString()).matches("\\[::1\\]:\\d+"));

                SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(20));
                KeyRef key = session.generateKey(KeyType.EC_P256, "v6").block(Duration.ofSeconds(20));
                for (int i = 0; i < 20; i++) {
                    byte[] data = Clusters.bytes(i);
                    byte[] sig = session.sign(key, SignatureAlgorithm.ECDSA_SHA256, data).block(Duration.ofSeconds(20));
                    assertThat(session.verify(key, SignatureAlgorithm.ECDSA_SHA256, data, sig).block(Duration.ofSeconds(20))).isTrue();
                }
                assertThat(cluster.hsms()).allSatisfy(h -> assertThat(h.stats().requestsServed()).isPositive());
                assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(SlotEvent.SlotAdded.class)
                        .asString().contains("[::1]:"));
                listening.dispose();
            }
        }
    }
}
