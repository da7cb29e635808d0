package dev.multislot.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegularFileReaderTest {

    @TempDir
    Path dir;

    @Test
    void aFifoSwappedInBetweenTheCheckAndTheOpenEndsAtTheDeadline() throws Exception {
        // readOnWorker skips the type check: this is the race that check cannot close.
        Path fifo = dir.resolve("swapped.cfg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThatThrownBy(() -> RegularFileReader.readOnWorker(fifo, 1024, Duration.ofMillis(200)))
                            .isInstanceOf(RegularFileReader.ReadProblem.class)
                            .hasMessageContaining("reading stalled for 200 ms"));
        } finally {
            // Release the worker still waiting in open(): a writer arriving lets its open return.
            new FileOutputStream(fifo.toFile()).close();
        }
    }

    @Test
    void anOpenedFileThatCannotSeekIsRefused() throws Exception {
        // A FIFO with a writer already there opens at once; the check on the opened channel refuses it.
        Path fifo = dir.resolve("open.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Process writer = new ProcessBuilder("sh", "-c", "exec 3>" + fifo + "; sleep 30").start();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                    assertThatThrownBy(() -> RegularFileReader.readOnWorker(fifo, 1024, Duration.ofSeconds(10)))
                            .hasMessageContaining("is not a regular file"));
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void aRegularFileIsRead() throws Exception {
        Path f = Files.writeString(dir.resolve("c.cfg"), "{\"clusters\": []}");
        assertThat(RegularFileReader.read(f, 1024, Duration.ofSeconds(5))).hasValueSatisfying(b ->
                assertThat(new String(b)).isEqualTo("{\"clusters\": []}"));
        assertThat(RegularFileReader.read(dir.resolve("none"), 1024, Duration.ofSeconds(5))).isEmpty();
    }
}
