package dev.multislot.cli;

import dev.multislot.local.internal.launch.LaunchLogging;

/** The command-line tools log only warnings unless the user asks for more. */
final class Logging {

    private Logging() {
    }

    /**
     * Library INFO lines (slot added, HSM up) would bury the tools' own output; the events they
     * describe are printed by the tools themselves. {@code MULTISLOT_LOG_LEVEL=info} (or {@code debug},
     * {@code trace}) brings them back; loggers that would print secrets stay at info. Must run before
     * the first logger is created.
     */
    static void quietUnlessConfigured() {
        LaunchLogging.configure(System.getenv(), "warn", System.err);
    }
}
