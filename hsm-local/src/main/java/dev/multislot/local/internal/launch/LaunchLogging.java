package dev.multislot.local.internal.launch;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How every Multislot launcher ({@code bin/multislot}, {@code bin/configure-pkcs11}, {@code bin/bench}
 * and the JVMs they start) sets its logging, before the first logger exists.
 *
 * <p>{@value #ENV_VAR} ({@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace})
 * sets the level of every logger, whatever the backend's own properties are called; the backend these
 * launchers ship is slf4j-simple, so it becomes {@code org.slf4j.simpleLogger.defaultLogLevel}. An
 * explicit {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} (in {@code MULTISLOT_JAVA_OPTS}) still wins.
 *
 * <p>Whatever the level, the loggers that would print secrets stay at {@code info}: the AWS SDK's
 * request signer logs the canonical request (with the {@code X-Amz-Security-Token} header) at debug,
 * and Netty's {@code LoggingHandler}, which the SDK's HTTP client puts in every pipeline, dumps every
 * byte sent (the same header) at debug.
 */
public final class LaunchLogging {

    /** The environment variable that sets the level. */
    public static final String ENV_VAR = "MULTISLOT_LOG_LEVEL";

    /** The levels {@value #ENV_VAR} accepts, most quiet first. */
    public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    /** Loggers that print AWS session tokens (and request signatures) below info. */
    public static final List<String> SECRET_BEARING_LOGGERS = List.of(
            "software.amazon.awssdk.http.auth.aws.internal.signer",
            "software.amazon.awssdk.auth.signer",
            "io.netty.handler.logging.LoggingHandler",
            "io.netty.handler.codec.http2.Http2FrameLogger",
            "software.amazon.awssdk.http.nio.netty.internal.http2",
            "software.amazon.awssdk.request");

    private static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";

    private LaunchLogging() {
    }

    /**
     * Sets the level from {@code env} (or {@code quietDefault} when unset) and pins the
     * secret-bearing loggers; an unknown value is reported on {@code err} and the default used.
     *
     * @param quietDefault the level when {@value #ENV_VAR} is unset, such as {@code warn} for tools whose
     *     own output would drown in library lines
     */
    public static void configure(Map<String, String> env, String quietDefault, PrintStream err) {
        String wanted = env.get(ENV_VAR);
        String level = quietDefault;
        if (wanted != null && !wanted.isBlank()) {
            String normalized = wanted.strip().toLowerCase(Locale.ROOT);
            if (LEVELS.contains(normalized)) {
                level = normalized;
            } else {
                err.println("warning: " + ENV_VAR + "=" + clip(wanted) + " is not one of " + String.join(", ", LEVELS)
                        + "; logging at " + quietDefault);
            }
        }
        if (System.getProperty(DEFAULT_LEVEL) == null) {
            System.setProperty(DEFAULT_LEVEL, level);
        }
        for (String logger : SECRET_BEARING_LOGGERS) {
            String key = LOGGER_PREFIX + logger;
            String set = System.getProperty(key);
            if (set == null || LEVELS.indexOf(set.toLowerCase(Locale.ROOT)) > LEVELS.indexOf("info")) {
                System.setProperty(key, "info");
            }
        }
    }

    /** The JVM options that pass the same settings on to a child JVM. */
    public static List<String> childJvmOptions() {
        List<String> options = new java.util.ArrayList<>();
        String level = System.getProperty(DEFAULT_LEVEL);
        if (level != null) {
            options.add("-D" + DEFAULT_LEVEL + "=" + level);
        }
        for (String logger : SECRET_BEARING_LOGGERS) {
            String v = System.getProperty(LOGGER_PREFIX + logger);
            if (v != null) {
                options.add("-D" + LOGGER_PREFIX + logger + "=" + v);
            }
        }
        return options;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
