package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.SlotEvent;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** An HSM that answers HELLO for another cluster is not used: that is a config error, not a fallback. */
class WrongClusterTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void hsmOfAnotherClusterIsRefusedWithAnErrorNamingBothClusters() throws Exception {
        ClusterConfig mislabelled = new ClusterConfig(dev.multislot.api.ClusterId.of("cluster-someother1"),
                Optional.empty(), cluster.caFile(), Clusters.servers(cluster), Optional.empty(), Optional.empty());
        ReactorHsmConnector connector = ReactorHsmConnector.builder()
                .options(Clusters.testOptions().build())
                .configSource(new TestConfigSource(List.of(mislabelled)))
                .build();
        var down = connector.events().filter(e -> e instanceof SlotEvent.HsmDown).next().toFuture();
        connector.connect().block(Duration.ofSeconds(10));
        try {
            SlotEvent.HsmDown event = (SlotEvent.HsmDown) down.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(event.reason()).contains(cluster.clusterId()).contains("cluster-someother1");
            StepVerifier.create(connector.slots().get(0).login(Clusters.USER))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(SlotUnavailableException.class);
                        assertThat(e.getCause()).isInstanceOf(HsmConnectionException.class)
                                .hasMessageContaining("belongs to cluster " + cluster.clusterId());
                    })
                    .verify(Duration.ofSeconds(5));
        } finally {
            connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
        }
    }
}
