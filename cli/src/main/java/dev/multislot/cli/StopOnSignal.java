package dev.multislot.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a long command so that a signal (Ctrl-C, SIGTERM) stops it cleanly: a shutdown hook asks the
 * command to stop, then holds the JVM open until the command's own run has returned (so it can close
 * what it started, and print its summary), for at most a bound.
 *
 * <p>The hook waits for the run to return, not for the calling thread to end: after the run, that
 * thread goes on to {@code System.exit}, which blocks while the signal's shutdown is in progress, so
 * a hook that joined it would always wait out its whole bound.
 */
public final class StopOnSignal {

    /** The command's body. */
    @FunctionalInterface
    public interface Body {
        /** Runs the command; returns its exit code. */
        int run() throws Exception;
    }

    private StopOnSignal() {
    }

    /**
     * Runs {@code body}; a signal during it calls {@code stop} (from the hook's thread, named
     * {@code hookName}) and waits up to {@code bound} for {@code body} to return.
     */
    public static int run(String hookName, Duration bound, Runnable stop, Body body) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, hookName);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // A signal arrived: the hook is already running and has just been released.
            }
        }
    }
}
