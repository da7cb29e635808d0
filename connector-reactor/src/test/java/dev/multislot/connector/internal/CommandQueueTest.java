package dev.multislot.connector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ConfigDiff;
import dev.multislot.api.spi.ConfigUpdate;
import dev.multislot.connector.HsmConnectorOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The registry's command queue: producers on several threads never wait or throw, a full queue
 * refuses instead of failing the stream, and queued commands run once the registry starts.
 */
class CommandQueueTest {

    @Test
    void aFullQueueRefusesCommandsWithoutEndingTheRegistryStream() throws Exception {
        Sinks.Many<ConfigUpdate> updates = Sinks.many().replay().latest();
        ClusterConfigSource source = new ClusterConfigSource() {
            @Override
            public Flux<ConfigUpdate> updates() {
                return updates.asFlux();
            }

            @Override
            public void close() {
            }
        };
        ConnectorRuntime runtime = new ConnectorRuntime(HsmConnectorOptions.builder().build(), source, null,
                Clock.systemUTC());
        try {
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            int producers = 4;
            int perProducer = 1000;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new java.util.ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perProducer; i++) {
                        boolean ok = runtime.submit(() -> Mono.fromRunnable(ran::incrementAndGet));
                        (ok ? accepted : refused).incrementAndGet();
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(30_000);
                assertThat(t.isAlive()).as("a producer still running").isFalse();
            }
            // Nothing drains before start(): the queue holds its bound and refuses the rest.
            assertThat(accepted.get() + refused.get()).isEqualTo(producers * perProducer);
            assertThat(accepted.get()).isPositive().isLessThan(producers * perProducer);
            assertThat(refused.get()).isPositive();

            updates.tryEmitNext(new ConfigUpdate.Loaded("test", List.of(), ConfigDiff.between(List.of(), List.of())));
            StepVerifier.create(runtime.start()).expectComplete().verify(Duration.ofSeconds(10));
            // The stream survived the overflow: a command submitted now still runs, and since
            // commands run in order, every accepted one ran before it.
            CountDownLatch later = new CountDownLatch(1);
            assertThat(runtime.submit(() -> Mono.fromRunnable(later::countDown))).isTrue();
            assertThat(later.await(10, TimeUnit.SECONDS)).as("a command after the overflow ran").isTrue();
            assertThat(ran.get()).isEqualTo(accepted.get());
        } finally {
            StepVerifier.create(runtime.close(Duration.ofSeconds(1))).expectComplete().verify(Duration.ofSeconds(30));
        }
        // A closing runtime refuses without throwing.
        assertThat(runtime.submit(Mono::empty)).isFalse();
    }
}
