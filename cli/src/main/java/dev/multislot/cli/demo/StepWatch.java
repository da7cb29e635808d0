package dev.multislot.cli.demo;

import dev.multislot.api.SlotEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The connector's events as the script sees them: every event since the watch began is kept (bounded),
 * so a step's event that comes before the script starts waiting for it still counts.
 */
final class StepWatch {

    private static final int MAX_KEPT = 10_000;

    private final List<SlotEvent> seen = new ArrayList<>();

    synchronized void record(SlotEvent event) {
        if (seen.size() < MAX_KEPT) {
            seen.add(event);
        }
        notifyAll();
    }

    /** How many events have come so far: a step only counts events after its action started. */
    synchronized int mark() {
        return seen.size();
    }

    /** Waits until an event after {@code mark} matches; false when the bound passes first. */
    synchronized boolean await(int mark, Predicate<SlotEvent> happened, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int checked = mark;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (happened.test(seen.get(checked))) {
                    return true;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
