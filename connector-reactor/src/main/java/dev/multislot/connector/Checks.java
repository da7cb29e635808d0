package dev.multislot.connector;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the option builders; each message names the setting and the bad value. */
final class Checks {

    /** Durations are kept in nanoseconds internally; this is the longest that fits comfortably. */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private Checks() {
    }

    static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return atMostMax(name, d);
    }

    static Duration nonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return atMostMax(name, d);
    }

    private static Duration atMostMax(String name, Duration d) {
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ", was " + d);
        }
        return d;
    }

    static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    static float percent(String name, float value) {
        if (!(value > 0f && value <= 100f)) {
            throw new IllegalArgumentException(name + " must be a percentage above 0 and at most 100, was " + value);
        }
        return value;
    }
}
