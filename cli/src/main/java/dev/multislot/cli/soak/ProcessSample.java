package dev.multislot.cli.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process's resident memory, thread count and open file descriptors, read from
 * {@code /proc/self} (Linux); -1 where a figure cannot be read.
 */
record ProcessSample(long rssBytes, int threads, int fds) {

    static ProcessSample now() {
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
        return new ProcessSample(rss, threads, fds);
    }

    double rssMegabytes() {
        return rssBytes < 0 ? -1 : rssBytes / (1024.0 * 1024.0);
    }
}
