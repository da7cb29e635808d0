package dev.multislot.testsupport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes: the one polling helper of the project's
 * tests, for states that publish no event (a counter of a server, a connection count). Where an
 * event or a signal exists, await that instead.
 *
 * <p>Blocks the calling thread: call it from a test thread, never from an event loop.
 */
public final class Await {

    /** How long to park between two looks; short beside any timeout a test uses. */
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private Await() {
    }

    /**
     * Returns once {@code condition} is true.
     *
     * @param what what is awaited, named in the error
     * @throws AssertionError naming {@code what} and the timeout once {@code timeout} has passed
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(what, "what");
        if (!holdsWithin(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
    }

    /**
     * Whether {@code condition} becomes true within {@code timeout}: for a caller that does
     * something else when it does not (a test on virtual time moves its clock on, then looks again).
     */
    public static boolean holdsWithin(Duration timeout, BooleanSupplier condition) {
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(POLL_NANOS, Math.max(1, timeout.toNanos())));
        }
        return true;
    }
}
