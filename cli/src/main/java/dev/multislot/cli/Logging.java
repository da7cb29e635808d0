package dev.multislot.cli;

/** The command-line tools log only warnings unless the user asks for more. */
final class Logging {

    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    /**
     * Library INFO lines (slot added, HSM up) would bury the tools' own output; the events they
     * describe are printed by the tools themselves. {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info}
     * (in MULTISLOT_JAVA_OPTS) brings them back. Must run before the first logger is created.
     */
    static void quietUnlessConfigured() {
        if (System.getProperty(LEVEL) == null) {
            System.setProperty(LEVEL, "warn");
        }
    }
}
