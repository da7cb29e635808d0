package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Idle connections are pinged; one whose PING goes unanswered is closed, and reopened later. On
 * virtual time: the keepalive interval and the thirty-second PING timeout pass when the test
 * moves the connector's clock, so the PING timeout can be checked to the step and no pause of a
 * loaded machine can fire it by accident.
 */
class KeepaliveTest {

    private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BOUND = KEEPALIVE_INTERVAL.plus(PING_TIMEOUT).multipliedBy(2);

    @Test
    void unansweredPingClosesTheConnectionAndTheHsmComesBackWhenItAnswersAgain() throws Exception {
        VirtualClock time = new VirtualClock();
        try (LocalCluster cluster = Clusters.start(1)) {
            ReactorHsmConnector connector = time.connect(Clusters.testOptions()
                    .keepaliveInterval(KEEPALIVE_INTERVAL)
                    .pingTimeout(PING_TIMEOUT)
                    .build(), Clusters.config(cluster));
            try {
                run(time, cluster, connector);
            } finally {
                // No grace: closing waits on the connector's timer, which only the test moves.
                connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
            }
        }
    }

    private static void run(VirtualClock time, LocalCluster cluster, ReactorHsmConnector connector) throws Exception {
        Slot slot = connector.slots().get(0);
        long servedBefore = cluster.hsm(0).stats().requestsServed();
        // No request is sent: whatever the HSM serves now is keepalive PINGs, and it answers them.
        time.advanceUntil("keepalive PINGs", () -> cluster.hsm(0).stats().requestsServed() >= servedBefore + 4,
                KEEPALIVE_INTERVAL.multipliedBy(10));
        assertThat(slot.health().isAvailable()).isTrue();

        CompletableFuture<SlotEvent> down = connector.events().filter(e -> e instanceof SlotEvent.HsmDown).next()
                .toFuture();
        CompletableFuture<SlotEvent> up = connector.events().filter(e -> e instanceof SlotEvent.HsmUp).next()
                .toFuture();
        cluster.hsm(0).faults().stall(true);
        Duration stalledAt = time.now();
        assertThat(time.advanceUntilDone(down, BOUND)).isNull();
        SlotEvent.HsmDown event = (SlotEvent.HsmDown) down.get();
        // Only a PING can notice: the connection is idle. It is the PING timeout that closes it, after
        // up to two intervals before the PING leaves (idleness is checked once per interval).
        assertThat(event.reason()).contains("keepalive PING not answered");
        assertThat(time.now().minus(stalledAt)).as("virtual time from the stall to the HSM's going down")
                .isGreaterThanOrEqualTo(PING_TIMEOUT.minusSeconds(1))
                .isLessThanOrEqualTo(KEEPALIVE_INTERVAL.multipliedBy(2).plus(PING_TIMEOUT).plusSeconds(2));
        assertThat(slot.health().isAvailable()).isFalse();

        cluster.hsm(0).faults().stall(false);
        assertThat(time.advanceUntilDone(up, BOUND)).isNull();
        time.advanceUntil("the slot to be available again", () -> slot.health().isAvailable(), BOUND);
    }
}
