package dev.multislot.connector;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline, for states that publish no event. */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Internals.await(what, timeout, condition);
    }
}
