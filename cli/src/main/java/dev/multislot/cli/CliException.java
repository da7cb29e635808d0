package dev.multislot.cli;

/**
 * A failure the CLI reports as one line on stderr with a given exit code. The message must name
 * the option, the value and what was expected, and must never contain a secret.
 */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException badInput(String message) {
        return new CliException(ExitCode.BAD_INPUT, message);
    }

    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
