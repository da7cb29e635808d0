package dev.multislot.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the evaluator keeps failing the same way, the watcher re-reads the file at every poll but
 * logs the failure with its stack trace once; a different failure is logged again.
 */
class ConfigWatcherQuietLogTest {

    @TempDir
    Path dir;

    @Test
    void aFailingEvaluatorIsLoggedOncePerDistinctError() throws Exception {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        Files.writeString(file, "{\"clusters\": []}");
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>("the evaluator is broken");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // slf4j-simple writes to whatever System.err is when it logs.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        ConfigWatcher watcher = new ConfigWatcher(file, Duration.ofMillis(5), Duration.ofMillis(10), p -> {
            calls.incrementAndGet();
            throw new IllegalStateException(error.get());
        }, state -> { }, null);
        Thread thread = new Thread(watcher, "config-watcher-test");
        try {
            thread.start();
            awaitCalls(calls, 20);
            error.set("now broken differently");
            int before = calls.get();
            awaitCalls(calls, before + 20);
        } finally {
            watcher.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(countOf(log, "ERROR dev.multislot.config.internal.ConfigWatcher - cannot evaluate"))
                .as("one error line per distinct failure, over %d evaluations:%n%s", calls.get(), log).isEqualTo(2);
        assertThat(countOf(log, "\njava.lang.IllegalStateException: the evaluator is broken")).isEqualTo(1);
        assertThat(countOf(log, "\njava.lang.IllegalStateException: now broken differently")).isEqualTo(1);
        assertThat(countOf(log, "\tat ")).as("stack frames only from the two logged failures")
                .isLessThanOrEqualTo(2 * 200);
    }

    private static void awaitCalls(AtomicInteger calls, int atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (calls.get() < atLeast) {
            assertThat(System.nanoTime()).as("the watcher re-evaluating the refused file").isLessThan(deadline);
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
