package dev.multislot.bench.internal;

import dev.multislot.bench.BenchServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link BenchServer} in its own JVM, started with the same {@code java} and class path as this
 * one, pinned to the CPUs {@link CpuPinning#SERVER_CPUS_PROPERTY} names when it is set. The
 * server's standard input is a pipe from this process: closing it (or this JVM dying)
 * makes the server exit, so no server outlives its benchmark.
 */
public final class ServerProcess implements AutoCloseable {

    /** System property: extra JVM options for the server, split on spaces. */
    public static final String JVM_OPTS_PROPERTY = "multislot.bench.serverJvmOpts";
    /** Netty's leak detector is off in benchmark JVMs (about 2.4 % of CPU with its default sampling). */
    private static final String DEFAULT_JVM_OPTS = "-Xms512m -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** The server of the trial running in this JVM, for CPU accounting; null between trials. */
    private static volatile ProcessHandle current;

    private final Process process;
    private final ServerInfo info;

    private ServerProcess(Process process, ServerInfo info) {
        this.process = process;
        this.info = info;
    }

    /**
     * Starts a server with {@code clusters} clusters of {@code hsms} HSMs and waits until they
     * listen.
     *
     * @throws IllegalStateException if the server exits or does not report within 90 s (the
     *     message names its log file)
     */
    public static ServerProcess start(int clusters, int hsms) {
        Path log = BenchPaths.outputDir().resolve("server-logs")
                .resolve("bench-server-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
        // On the CPUs the run set aside for servers (CpuPinning), so that the client keeps its own.
        List<String> cmd = new ArrayList<>(CpuPinning.serverPrefix(System.getProperty(CpuPinning.SERVER_CPUS_PROPERTY)));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String opt : System.getProperty(JVM_OPTS_PROPERTY, DEFAULT_JVM_OPTS).trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        // A SoftHSM2 backend (bin/bench --backend softhsm2) calls the JDK's PKCS#11 wrapper.
        cmd.addAll(List.of(dev.multislot.local.TokenBackend.PKCS11_JVM_OPTION.split(" ")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchServer.class.getName());
        cmd.add("--clusters");
        cmd.add(Integer.toString(clusters));
        cmd.add("--hsms");
        cmd.add(Integer.toString(hsms));
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the benchmark server: " + e.getMessage(), e);
        }
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readReadyLine(p));
        try {
            String json = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ServerProcess server = new ServerProcess(p, ServerInfo.fromJson(json));
            current = p.toHandle();
            return server;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            p.destroyForcibly();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("the benchmark server did not start (" + cause + "); see " + log, cause);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the benchmark server", e);
        }
    }

    private static String readReadyLine(Process p) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(BenchServer.READY_PREFIX)) {
                    String json = line.substring(BenchServer.READY_PREFIX.length());
                    // Keep draining stdout so that the server never blocks on a full pipe.
                    Thread drain = new Thread(() -> drain(r), "bench-server-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return json;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the server exited with code " + waitExit(p) + " before it was ready");
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the server is gone
        }
    }

    private static String waitExit(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(p.exitValue()) : "(still running)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    /**
     * CPU time the application threads of the current trial's server have used so far, in
     * nanoseconds (10 ms resolution; see {@link ThreadCpu#otherJvmNanos}), or -1 if there is no
     * server or {@code /proc} cannot be read.
     */
    public static long currentServerCpuNanos() {
        ProcessHandle h = current;
        return h == null ? -1 : ThreadCpu.otherJvmNanos(h.pid());
    }

    /** What the server started. */
    public ServerInfo info() {
        return info;
    }

    /** Closes the server's input so that it stops; kills it if it has not exited within 10 s. */
    @Override
    public void close() {
        if (current != null && current.pid() == process.pid()) {
            current = null;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the server sees the end of input either way
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
