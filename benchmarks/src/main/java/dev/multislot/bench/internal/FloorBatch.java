package dev.multislot.bench.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One batch of the floor client: done when every taking-part connection has finished its quota. */
final class FloorBatch {

    private final CountDownLatch connections;
    private final AtomicReference<Throwable> error = new AtomicReference<>();

    FloorBatch(int connections) {
        this.connections = new CountDownLatch(connections);
    }

    void connectionDone(Throwable failure) {
        if (failure != null) {
            error.compareAndSet(null, failure);
        }
        connections.countDown();
    }

    /** Waits for every connection; throws the first failure. */
    void await(Duration timeout) {
        try {
            if (!connections.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("floor batch not done within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Throwable e = error.get();
        if (e != null) {
            throw new IllegalStateException("floor batch failed: " + e.getMessage(), e);
        }
    }
}
