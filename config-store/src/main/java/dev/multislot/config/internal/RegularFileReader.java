package dev.multislot.config.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a whole file only if it is a regular file, and never waits on it for longer than a deadline.
 *
 * <p>Why: opening a FIFO for reading blocks until a writer opens it, reading a character device may
 * never end, and Java cannot open a file without blocking ({@code O_NONBLOCK}). So the type is checked
 * before the open (following links, as the open does); the open and the read then run on a worker of
 * a small bounded pool while the caller waits at most the deadline; and the opened channel is checked
 * once more (a FIFO, a socket or a pipe cannot seek), which catches a file swapped between the check
 * and the open. A worker stuck in {@code open()} on a FIFO swapped in at that instant stays stuck
 * until some process opens the FIFO for writing: at most {@value #MAX_WORKERS} such workers exist
 * per JVM; past that, reads fail at once instead of queueing behind them.
 */
public final class RegularFileReader {

    /** Workers that may be reading (or stuck) at once, in the whole JVM. */
    static final int MAX_WORKERS = 8;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "multislot-config-read-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private RegularFileReader() {
    }

    /** Why a read failed; the message is a problem phrase such as "is a FIFO; expected a regular file". */
    public static final class ReadProblem extends IOException {
        ReadProblem(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /**
     * The file's bytes; empty if nothing is there.
     *
     * @param maxSize the most bytes accepted: a larger file (or one that grows past it while read) is refused
     * @param deadline how long the open and the read may take in all
     * @throws ReadProblem if it is not a regular file, is too large, or the read did not end in time
     * @throws IOException as the file system reports it ({@code AccessDeniedException} and the like)
     */
    public static Optional<byte[]> read(Path path, long maxSize, Duration deadline) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String notRegular = describeIfNotRegular(attributes);
        if (notRegular != null) {
            throw new ReadProblem(notRegular + "; expected a regular file", null);
        }
        if (attributes.size() > maxSize) {
            throw new ReadProblem(tooLarge(attributes.size(), maxSize), null);
        }
        return readOnWorker(path, maxSize, deadline);
    }

    /** What the file is, if it is not a regular file ("is a directory", "is a FIFO, device or socket"); else null. */
    public static String describeIfNotRegular(BasicFileAttributes attributes) {
        if (attributes.isRegularFile()) {
            return null;
        }
        if (attributes.isDirectory()) {
            return "is a directory";
        }
        return "is not a regular file (a FIFO, device or socket)";
    }

    /** The open and the read on a worker, without the type check first: package-private so tests can hit the race. */
    static Optional<byte[]> readOnWorker(Path path, long maxSize, Duration deadline) throws IOException {
        Future<Optional<byte[]>> read;
        try {
            read = WORKERS.submit(() -> openAndRead(path, maxSize));
        } catch (RejectedExecutionException e) {
            throw new ReadProblem("cannot read: " + MAX_WORKERS + " earlier reads are still stuck (on a FIFO or device swapped"
                    + " in for the file?)", e);
        }
        try {
            return read.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // cancel(true) interrupts a read; a thread blocked in open() on a FIFO stays until a writer comes.
            read.cancel(true);
            throw new ReadProblem("reading stalled for " + deadline.toMillis() + " ms (was it replaced by a FIFO or a"
                    + " device?); expected a regular file", e);
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new ReadProblem("interrupted while reading", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ReadProblem("cannot read: " + e.getCause(), e.getCause());
        }
    }

    private static Optional<byte[]> openAndRead(Path path, long maxSize) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path)) {
            try {
                // A FIFO, socket or pipe cannot seek: this is the check on the file actually opened.
                channel.position(0);
            } catch (IOException e) {
                throw new ReadProblem("is not a regular file (a FIFO, device or socket); expected a regular file", e);
            }
            long size = channel.size();
            if (size > maxSize) {
                throw new ReadProblem(tooLarge(size, maxSize), null);
            }
            // The file may grow between the size check and the read (or be a device): read at most one byte past the limit.
            InputStream in = Channels.newInputStream(channel);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(size, 64));
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxSize + 1 - total))) > 0) {
                out.write(buffer, 0, n);
                total += n;
                if (total > maxSize) {
                    throw new ReadProblem("the file grew over the limit of " + maxSize + " bytes while being read", null);
                }
            }
            return Optional.of(out.toByteArray());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String tooLarge(long size, long maxSize) {
        return "the file is " + size + " bytes, over the limit of " + maxSize + " bytes";
    }
}
