package dev.multislot.cli;

import dev.multislot.api.errors.DiscoveryException;
import dev.multislot.config.ConfigFileException;

/** Maps a failure to its exit code and to the one line the user sees. */
final class ErrorReporter {

    private ErrorReporter() {
    }

    static int exitCode(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof CliException c) {
            return c.exitCode();
        }
        if (t instanceof DiscoveryException) {
            return ExitCode.AWS_API_ERROR;
        }
        if (t instanceof ConfigFileException) {
            return ExitCode.CONFIG_FILE_ERROR;
        }
        if (t instanceof IllegalArgumentException) {
            return ExitCode.BAD_INPUT;
        }
        if (t instanceof java.io.IOException) {
            // The only files the CLI opens outside option checks are the config file and its lock.
            return ExitCode.CONFIG_FILE_ERROR;
        }
        return ExitCode.BAD_INPUT;
    }

    static String oneLine(Throwable e) {
        Throwable t = unwrap(e);
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return message.replace('\n', ' ').replace('\r', ' ');
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.io.UncheckedIOException || t.getClass().getName().equals("reactor.core.Exceptions$ReactiveException"))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
