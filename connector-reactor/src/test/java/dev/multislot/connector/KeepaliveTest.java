package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.SlotEvent;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle connections are pinged; one whose PING goes unanswered is closed, and reopened later.
 *
 * <p>The PING timeout is far above any GC or scheduling pause a loaded machine shows, so it fires
 * only because the HSM is stalled, never by accident; the interval stays short so the test is quick.
 */
class KeepaliveTest {

    private static final Duration KEEPALIVE_INTERVAL = Duration.ofMillis(500);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(3);
    /** Ten times the longest wait for the stalled HSM's PING to time out. */
    private static final Duration DETECTION_BOUND = KEEPALIVE_INTERVAL.plus(PING_TIMEOUT).multipliedBy(10);

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
                .keepaliveInterval(KEEPALIVE_INTERVAL)
                .pingTimeout(PING_TIMEOUT)
                .build(), Clusters.config(cluster))) {
            var slot = connector.slots().get(0);
            long servedBefore = cluster.hsm(0).stats().requestsServed();
            // No request is sent: whatever the HSM serves now is keepalive PINGs, and it answers them.
            Await.until("keepalive PINGs", DETECTION_BOUND,
                    () -> cluster.hsm(0).stats().requestsServed() >= servedBefore + 4);
            assertThat(slot.health().isAvailable()).isTrue();

            var down = connector.events().filter(e -> e instanceof SlotEvent.HsmDown).next().toFuture();
            var up = connector.events().filter(e -> e instanceof SlotEvent.HsmUp).next().toFuture();
            cluster.hsm(0).faults().stall(true);
            long stalledAt = System.nanoTime();
            SlotEvent.HsmDown event = (SlotEvent.HsmDown) down.get(DETECTION_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            // Only a PING can notice: the connection is idle. That PING may have left a little before the
            // stall, so the lower bound leaves room for it.
            assertThat(event.reason()).contains("keepalive PING not answered");
            assertThat(Duration.ofNanos(System.nanoTime() - stalledAt))
                    .as("the PING timeout, not something quicker, closed the connection")
                    .isGreaterThanOrEqualTo(PING_TIMEOUT.dividedBy(2));
            assertThat(slot.health().isAvailable()).isFalse();

            cluster.hsm(0).faults().stall(false);
            assertThat(up.get(DETECTION_BOUND.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(SlotEvent.HsmUp.class);
            Await.until("the slot to be available again", DETECTION_BOUND, () -> slot.health().isAvailable());
        }
    }
}
