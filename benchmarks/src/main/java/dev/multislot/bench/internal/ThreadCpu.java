package dev.multislot.bench.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by a JVM's application threads: every thread except the JIT compilers, the
 * garbage collector and the VM's own. A fresh JVM compiles for many seconds, most at low request
 * rates; counting that as the client's cost would measure warmup, not the client.
 */
public final class ThreadCpu {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Linux clock ticks per second, as /proc reports times in. */
    private static final long TICK_NANOS = 10_000_000L;

    private ThreadCpu() {
    }

    /**
     * This JVM's application threads' CPU time in nanoseconds. The JVM hides its compiler threads
     * from {@link java.lang.management.ThreadMXBean}, and GC threads are not Java threads, so the
     * sum over the threads it lists is what the application ran.
     */
    public static long ownNanos() {
        long total = 0;
        for (long t : THREADS.getThreadCpuTime(THREADS.getAllThreadIds())) {
            if (t > 0) {
                total += t;
            }
        }
        return total;
    }

    /**
     * Another JVM's application threads' CPU time in nanoseconds (10 ms resolution), from
     * {@code /proc/<pid>/task/*}: every thread but those named like the JVM's compiler, GC and VM
     * threads. -1 where {@code /proc} cannot be read.
     */
    public static long otherJvmNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended while we looked
                }
                if (isJvmInternal(comm)) {
                    continue;
                }
                // Fields after the command (which may hold spaces) start after its closing ')'.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * TICK_NANOS;
    }

    static boolean isJvmInternal(String comm) {
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") || comm.startsWith("GC Thread")
                || comm.startsWith("G1 ") || comm.startsWith("VM Thread") || comm.startsWith("VM Periodic")
                || comm.startsWith("Sweeper");
    }
}
