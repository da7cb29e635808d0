package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.SlotEvent;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idle connections are pinged; one whose PING goes unanswered is closed, and reopened later. */
class KeepaliveTest {

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
    void unansweredPingClosesTheConnectionAndTheHsmComesBackWhenItAnswersAgain() throws Exception {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                .keepaliveInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(200))
                .connectTimeout(Duration.ofMillis(500))
                .build(), Clusters.config(cluster))) {
            var slot = connector.slots().get(0);
            long servedBefore = cluster.hsm(0).stats().requestsServed();
            // Idle connections exchange PINGs: the HSM answers them.
            Internals.await("keepalive PINGs", Duration.ofSeconds(10),
                    () -> cluster.hsm(0).stats().requestsServed() >= servedBefore + 4);
            assertThat(slot.health().isAvailable()).isTrue();

            var down = connector.events().filter(e -> e instanceof SlotEvent.HsmDown).next().toFuture();
            var up = connector.events().filter(e -> e instanceof SlotEvent.HsmUp).next().toFuture();
            cluster.hsm(0).faults().stall(true);
            SlotEvent.HsmDown event = (SlotEvent.HsmDown) down.get(10, TimeUnit.SECONDS);
            assertThat(event.reason()).contains("keepalive PING not answered");
            assertThat(slot.health().isAvailable()).isFalse();

            cluster.hsm(0).faults().stall(false);
            assertThat(up.get(10, TimeUnit.SECONDS)).isInstanceOf(SlotEvent.HsmUp.class);
            Internals.await("the slot to be available again", Duration.ofSeconds(10), () -> slot.health().isAvailable());
        }
    }
}
