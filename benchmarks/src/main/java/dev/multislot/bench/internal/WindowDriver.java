package dev.multislot.bench.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * One batch of {@link Harness#WINDOW}: {@code inFlight} reusable subscribers hand out operation
 * numbers; each subscribes the next request from the completion of its previous one (on whatever
 * thread completed it, usually an event loop), so the window stays full without a {@code flatMap}.
 */
final class WindowDriver {

    private final int operations;
    private final int inFlight;
    private final IntFunction<Mono<?>> call;
    private final LatencyRecorder latency;
    private final AtomicInteger issued = new AtomicInteger();
    private final CountDownLatch slotsDone;
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    WindowDriver(int operations, int inFlight, IntFunction<Mono<?>> call, LatencyRecorder latency) {
        if (inFlight < 1 || operations < inFlight) {
            throw new IllegalArgumentException("need 1 <= inFlight <= operations; got " + inFlight + ", " + operations);
        }
        this.operations = operations;
        this.inFlight = inFlight;
        this.call = call;
        this.latency = latency;
        this.slotsDone = new CountDownLatch(inFlight);
    }

    void run(Duration timeout) {
        for (int k = 0; k < inFlight; k++) {
            new Slot().next();
        }
        try {
            if (!slotsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("window batch not done within " + timeout + ": "
                        + Math.min(issued.get(), operations) + " of " + operations + " requests started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Throwable e = error.get();
        if (e != null) {
            throw new IllegalStateException("window batch failed: " + e, e);
        }
    }

    /** One place in the window: one request at a time. */
    private final class Slot implements CoreSubscriber<Object> {
        private long startedAt;

        void next() {
            int i = issued.getAndIncrement();
            if (i >= operations || error.get() != null) {
                slotsDone.countDown();
                return;
            }
            startedAt = System.nanoTime();
            call.apply(i).subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Object value) {
            latency.record(System.nanoTime() - startedAt);
        }

        @Override
        public void onError(Throwable t) {
            error.compareAndSet(null, t);
            slotsDone.countDown();
        }

        @Override
        public void onComplete() {
            next();
        }
    }
}
