package dev.multislot.cli.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process's resident memory, thread count and open file descriptors, read from
 * {@code /proc/self} (Linux), -1 where a figure cannot be read; and the Java heap in use right
 * after a full collection, which tells a leak from a heap that has merely grown into its limit
 * (RSS rarely shrinks once the JVM has taken the memory).
 */
record ProcessSample(long rssBytes, int threads, int fds, long heapUsedBytes) {

    static ProcessSample now() {
        System.gc(); // twice a run: before the figures, so that the heap figure counts live objects only
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long rss = -1;
        int threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave -1
        }
        int fds = -1;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = (int) open.count();
        } catch (IOException e) {
            // not Linux: leave -1
        }
        return new ProcessSample(rss, threads, fds, heap);
    }

    double heapUsedMegabytes() {
        return heapUsedBytes / (1024.0 * 1024.0);
    }

    double rssMegabytes() {
        return rssBytes < 0 ? -1 : rssBytes / (1024.0 * 1024.0);
    }
}
