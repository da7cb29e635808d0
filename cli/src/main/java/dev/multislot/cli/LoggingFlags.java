package dev.multislot.cli;

import dev.multislot.config.SdkLogging;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The four logging options of the configure form, written to the file's {@code logging} object.
 * They configure the SDK's own PKCS#11 library when it shares the file; Multislot logs through SLF4J.
 */
final class LoggingFlags {

    @Option(names = "--log-type", paramLabel = "term|file",
            description = "Where the SDK's library logs: term or file (writes logging.log_type).")
    String logType;

    @Option(names = "--log-file", paramLabel = "<LOG FILE>",
            description = "The SDK library's log file (writes logging.log_file).")
    String logFile;

    @Option(names = "--log-level", paramLabel = "error|warn|info|debug|trace",
            description = "The SDK library's log level (writes logging.log_level).")
    String logLevel;

    @Option(names = "--log-rotation", paramLabel = "never|hourly|daily",
            description = "How often the SDK's library starts a new log file (writes logging.log_interval).")
    String logRotation;

    boolean any() {
        return logType != null || logFile != null || logLevel != null || logRotation != null;
    }

    /** The settings given, checked against the SDK's lists; a bad value is a bad-input error naming the option. */
    SdkLogging checked() {
        check("--log-type", logType, SdkLogging.LOG_TYPES);
        check("--log-level", logLevel, SdkLogging.LOG_LEVELS);
        check("--log-rotation", logRotation, SdkLogging.LOG_INTERVALS);
        if (logFile != null && logFile.isBlank()) {
            throw CliException.badInput("--log-file: expected a file path, got an empty value");
        }
        return SdkLogging.of(Optional.ofNullable(logType), Optional.ofNullable(logFile), Optional.ofNullable(logLevel),
                Optional.ofNullable(logRotation));
    }

    private static void check(String option, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw CliException.badInput(option + " " + OptionChecks.shown(value) + ": expected one of " + String.join(", ", allowed));
        }
    }
}
