package dev.multislot.local.internal.server;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fault switches of one HSM, read by its connections on every request. Thread-safe; any
 * thread may flip a switch at any time, and it takes effect from the next request or connection.
 */
public final class FaultState {

    private volatile boolean stall;
    private volatile boolean refuseConnections;
    private volatile boolean busy;
    private final AtomicBoolean corruptNext = new AtomicBoolean();

    public boolean stall() {
        return stall;
    }

    public void stall(boolean on) {
        stall = on;
    }

    public boolean refuseConnections() {
        return refuseConnections;
    }

    public void refuseConnections(boolean on) {
        refuseConnections = on;
    }

    public boolean busy() {
        return busy;
    }

    public void busy(boolean on) {
        busy = on;
    }

    public void corruptNextResponse() {
        corruptNext.set(true);
    }

    /** Whether the response about to be sent must be garbage; true once per arming. */
    boolean takeCorruptNext() {
        return corruptNext.get() && corruptNext.compareAndSet(true, false);
    }

    @Override
    public String toString() {
        return "FaultState[stall=" + stall + ", refuseConnections=" + refuseConnections + ", busy=" + busy
                + ", corruptNext=" + corruptNext.get() + "]";
    }
}
