package dev.multislot.connector.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A burst of one warning is one line, and the next after the window says how many were left out. */
class RateLimitedWarningTest {

    @Test
    void aBurstIsLoggedOnceThenCountedInTheNextLine() {
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedWarning warning = new RateLimitedWarning(LoggerFactory.getLogger("dev.multislot.connector.test.burst"),
                TimeUnit.SECONDS.toNanos(30), now::get);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // slf4j-simple writes to whatever System.err is when it logs.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 50; i++) {
                warning.warn("HSM {}: could not apply the login change", "h1");
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            }
            now.addAndGet(TimeUnit.SECONDS.toNanos(30));
            warning.warn("HSM {}: could not apply the login change", "h1");
            warning.warn("HSM {}: could not apply the login change", "h1");
        } finally {
            System.setErr(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("dev.multislot.connector.test.burst")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("WARN").endsWith("HSM h1: could not apply the login change");
        assertThat(lines.get(1)).endsWith("HSM h1: could not apply the login change (and 49 more like it in the last 30 s)");
    }
}
