package dev.multislot.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The file's {@code logging} object: where and how the CloudHSM SDK's own PKCS#11 library logs
 * when it shares this file. Multislot logs through SLF4J and does not read these; they are kept,
 * shown and edited so the SDK finds them as its own tool would write them.
 *
 * <p>Each field is empty when the file does not have it. Values outside the SDK's lists are
 * refused by {@link #of}; a file read from disk is shown as it is.
 *
 * @param logType {@code log_type}: {@code term} or {@code file}
 * @param logFile {@code log_file}: the log file's path
 * @param logLevel {@code log_level}: {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}
 * @param logInterval {@code log_interval} (what the SDK's {@code --log-rotation} sets):
 *     {@code never}, {@code hourly} or {@code daily}
 */
public record SdkLogging(Optional<String> logType, Optional<String> logFile, Optional<String> logLevel,
                         Optional<String> logInterval) {

    /** The SDK's log types. */
    public static final List<String> LOG_TYPES = List.of("term", "file");
    /** The SDK's log levels, most severe first. */
    public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** The SDK's log rotation intervals. */
    public static final List<String> LOG_INTERVALS = List.of("never", "hourly", "daily");

    /** No logging settings. */
    public static final SdkLogging NONE = new SdkLogging(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public SdkLogging {
        Objects.requireNonNull(logType, "logType");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logInterval, "logInterval");
    }

    /**
     * Settings checked against the SDK's lists.
     *
     * @throws IllegalArgumentException naming the field, the value and the values allowed
     */
    public static SdkLogging of(Optional<String> logType, Optional<String> logFile, Optional<String> logLevel,
                                Optional<String> logInterval) {
        check("log_type", logType, LOG_TYPES);
        check("log_level", logLevel, LOG_LEVELS);
        check("log_interval", logInterval, LOG_INTERVALS);
        logFile.ifPresent(f -> {
            if (f.isBlank()) {
                throw new IllegalArgumentException("log_file: expected a file path, got an empty value");
            }
        });
        return new SdkLogging(logType, logFile, logLevel, logInterval);
    }

    /** These settings with the given ones put over them (an empty argument keeps the current value). */
    public SdkLogging overriddenBy(SdkLogging other) {
        return new SdkLogging(other.logType.or(() -> logType), other.logFile.or(() -> logFile),
                other.logLevel.or(() -> logLevel), other.logInterval.or(() -> logInterval));
    }

    private static void check(String field, Optional<String> value, List<String> allowed) {
        value.ifPresent(v -> {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException(field + ": expected one of " + String.join(", ", allowed) + ", got \"" + v + "\"");
            }
        });
    }
}
