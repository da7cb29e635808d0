package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.errors.HsmConnectorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A bounded batch of requests with a tally of how each one ended: subscriptions against terminal
 * signals per request, values, and errors by type. A fault can be switched on once a given number
 * of requests has ended, so it lands on a connection that carries traffic.
 */
final class FaultRun {

    final int requests;
    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicIntegerArray terminals;
    final AtomicInteger values = new AtomicInteger();
    final Map<String, Integer> errors = new ConcurrentHashMap<>();
    final AtomicInteger untypedErrors = new AtomicInteger();

    private FaultRun(int requests) {
        this.requests = requests;
        this.terminals = new AtomicIntegerArray(requests);
    }

    /**
     * Runs {@code requests} calls, {@code concurrency} at a time; {@code midway} runs once
     * {@code afterEnded} of them have ended. Waits at most {@code bound} for all to end.
     */
    static FaultRun of(int requests, int concurrency, IntFunction<Mono<?>> call, int afterEnded, Runnable midway,
            Duration bound) {
        FaultRun run = new FaultRun(requests);
        CountDownLatch ended = new CountDownLatch(afterEnded);
        Thread trigger = new Thread(() -> {
            try {
                ended.await();
                midway.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fault-trigger");
        trigger.setDaemon(true);
        trigger.start();
        Flux.range(0, requests)
                .flatMap(i -> call.apply(i)
                        .doOnSubscribe(s -> run.subscriptions.incrementAndGet())
                        .doOnSuccess(v -> {
                            run.terminals.incrementAndGet(i);
                            run.values.incrementAndGet();
                            ended.countDown();
                        })
                        .doOnError(e -> {
                            run.terminals.incrementAndGet(i);
                            run.errors.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            if (!(e instanceof HsmConnectorException)) {
                                run.untypedErrors.incrementAndGet();
                            }
                            ended.countDown();
                        })
                        .onErrorResume(e -> Mono.empty()), concurrency)
                .then()
                .block(bound);
        trigger.interrupt();
        return run;
    }

    /** Every request was subscribed once and ended once, with a value or a typed error. */
    FaultRun assertEachEndedExactlyOnce() {
        assertThat(subscriptions.get()).as("subscriptions").isEqualTo(requests);
        for (int i = 0; i < requests; i++) {
            assertThat(terminals.get(i)).as("terminal signals of request %d", i).isEqualTo(1);
        }
        assertThat(untypedErrors.get()).as("errors that are not HsmConnectorException: %s", errors).isZero();
        return this;
    }

    /** Every request got its value: the fault was absorbed by failover or by waiting. */
    FaultRun assertAllSucceeded() {
        assertThat(values.get()).as("values (errors: %s)", errors).isEqualTo(requests);
        return this;
    }
}
