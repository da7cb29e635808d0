package dev.multislot.local.internal.server;

import java.util.concurrent.atomic.AtomicInteger;

/** Caps the operations one HSM runs at once; 0 means no cap. Lock-free. */
final class OperationGate {

    private final int limit;
    private final AtomicInteger running = new AtomicInteger();

    OperationGate(int limit) {
        this.limit = limit;
    }

    boolean tryAcquire() {
        if (limit == 0) {
            running.incrementAndGet();
            return true;
        }
        for (;;) {
            int n = running.get();
            if (n >= limit) {
                return false;
            }
            if (running.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }
}
