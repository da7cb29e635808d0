package dev.multislot.local.internal.proxy;

import dev.multislot.local.faults.Direction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a proxy has done, for tests to await instead of sleeping; thread-safe. */
public final class ProxyCounters {

    final AtomicLong accepted = new AtomicLong();
    final AtomicInteger open = new AtomicInteger();
    final AtomicLong toHsm = new AtomicLong();
    final AtomicLong toClient = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
    final AtomicLong halfCloses = new AtomicLong();
    final AtomicLong flips = new AtomicLong();
    /** Flips asked for and not yet done, per direction. */
    final AtomicInteger flipsToHsm = new AtomicInteger();
    final AtomicInteger flipsToClient = new AtomicInteger();

    public long accepted() {
        return accepted.get();
    }

    public int open() {
        return open.get();
    }

    public long forwarded(Direction direction) {
        return direction == Direction.TO_HSM ? toHsm.get() : toClient.get();
    }

    public long resets() {
        return resets.get();
    }

    public long halfCloses() {
        return halfCloses.get();
    }

    public long flips() {
        return flips.get();
    }

    public void requestFlip(Direction direction) {
        pendingFlips(direction).incrementAndGet();
    }

    /** Whether a flip was pending in this direction; takes it. */
    boolean takeFlip(Direction direction) {
        AtomicInteger pending = pendingFlips(direction);
        return pending.get() > 0 && pending.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private AtomicInteger pendingFlips(Direction direction) {
        return direction == Direction.TO_HSM ? flipsToHsm : flipsToClient;
    }

    void forwarded(Direction direction, int bytes) {
        (direction == Direction.TO_HSM ? toHsm : toClient).addAndGet(bytes);
    }
}
