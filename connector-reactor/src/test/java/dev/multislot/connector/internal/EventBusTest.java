package dev.multislot.connector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.SlotEvent;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The event stream: hot, bounded per subscriber, never slowed by a slow subscriber. */
class EventBusTest {

    private static SlotEvent event(int i) {
        return new SlotEvent.ConfigRejected(Instant.EPOCH, "test", "problem " + i);
    }

    @Test
    void aStuckSubscriberLosesItsOldestEventsAndNeverBlocksThePublisher() throws Exception {
        EventBus bus = new EventBus(16);
        CountDownLatch release = new CountDownLatch(1);
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable stuck = bus.events().subscribe(e -> {
            try {
                // Events arrive on a bounded-elastic thread, where a subscriber may block.
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            received.add(((SlotEvent.ConfigRejected) e).problem());
        });
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            bus.publish(event(i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(bus.dropped()).isGreaterThanOrEqualTo(10_000 - 16 - 32 - 1);
        release.countDown();
        Await.until("the newest events", Duration.ofSeconds(10),
                () -> received.contains("problem 9999"));
        assertThat(received.size()).isLessThan(100);
        stuck.dispose();
    }

    @Test
    void eventsAreHotAndTheStreamCompletesOnClose() {
        EventBus bus = new EventBus(16);
        bus.publish(event(0));
        StepVerifier.create(bus.events())
                .then(() -> bus.publish(new SlotEvent.SlotRemoved(Instant.EPOCH, new dev.multislot.api.SlotId(1),
                        ClusterId.of("cluster-a"), 0)))
                .expectNextMatches(e -> e instanceof SlotEvent.SlotRemoved)
                .then(bus::complete)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
