package dev.multislot.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * Both harnesses drive every operation once, never more than the window at a time, and the
 * windowed one keeps the window full: requests answered on other threads, as an event loop does.
 */
class HarnessTest {

    private final ExecutorService answerers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        answerers.shutdownNow();
        assertThat(answerers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Requests that answer on another thread, counting how many are outstanding at once. */
    private static final class Counting {
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger[] perOp;

        Counting(int operations) {
            perOp = new AtomicInteger[operations];
            for (int i = 0; i < operations; i++) {
                perOp[i] = new AtomicInteger();
            }
        }

        IntFunction<Mono<?>> calls(ExecutorService answerers) {
            return i -> Mono.create(sink -> {
                int now = outstanding.incrementAndGet();
                most.accumulateAndGet(now, Math::max);
                started.incrementAndGet();
                perOp[i].incrementAndGet();
                answerers.execute(() -> {
                    outstanding.decrementAndGet();
                    sink.success(i);
                });
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Harness.class)
    void everyOperationRunsOnceWithinTheWindow(Harness harness) {
        Counting c = new Counting(2000);
        LatencyRecorder latency = new LatencyRecorder();
        harness.run(2000, 64, c.calls(answerers), latency, Duration.ofSeconds(30));
        assertThat(c.started.get()).isEqualTo(2000);
        for (AtomicInteger n : c.perOp) {
            assertThat(n.get()).isEqualTo(1);
        }
        assertThat(c.most.get()).isLessThanOrEqualTo(64);
        assertThat(c.outstanding.get()).isZero();
    }

    @Test
    void theWindowIsFullFromTheStart() {
        // Answers wait until all 32 are out: a driver that kept fewer in flight would hang here.
        CountDownLatch allOut = new CountDownLatch(32);
        AtomicInteger started = new AtomicInteger();
        IntFunction<Mono<?>> calls = i -> Mono.create(sink -> {
            started.incrementAndGet();
            allOut.countDown();
            answerers.execute(() -> {
                try {
                    if (allOut.await(10, TimeUnit.SECONDS)) {
                        sink.success(i);
                    } else {
                        sink.error(new IllegalStateException("the window was never full"));
                    }
                } catch (InterruptedException e) {
                    sink.error(e);
                }
            });
        });
        Harness.WINDOW.run(32, 32, calls, new LatencyRecorder(), Duration.ofSeconds(30));
        assertThat(started.get()).isEqualTo(32);
    }

    @ParameterizedTest
    @EnumSource(Harness.class)
    void aFailedRequestFailsTheBatch(Harness harness) {
        IntFunction<Mono<?>> calls = i -> i == 100 ? Mono.error(new IllegalStateException("boom")) : Mono.just(i);
        assertThatThrownBy(() -> harness.run(1000, 8, calls, new LatencyRecorder(), Duration.ofSeconds(30)))
                .hasStackTraceContaining("boom");
    }
}
