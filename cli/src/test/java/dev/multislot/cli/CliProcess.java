package dev.multislot.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/configure-pkcs11} (or another launcher in bin/) as a real subprocess, with an
 * environment that has nothing of the developer's AWS setup in it.
 */
final class CliProcess {

    /** The repository root: the cli module's parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** How long one run may take before the test fails: generous, a JVM start on a busy 2-core box. */
    private static final long TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private final String launcher;
    private final List<String> prefix = new ArrayList<>();

    private CliProcess(String launcher, Path home) {
        this.launcher = launcher;
        // Only what a JVM needs; every AWS variable a test wants is set explicitly.
        for (String keep : List.of("PATH", "JAVA_HOME", "LANG", "TMPDIR")) {
            String v = System.getenv(keep);
            if (v != null) {
                env.put(keep, v);
            }
        }
        env.put("HOME", home.toString());
        // Test the jar this build made; never start a nested Maven build from a test.
        env.put("MULTISLOT_NO_BUILD", "true");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "local-test-secret");
    }

    static CliProcess configurePkcs11(Path home) {
        return new CliProcess("bin/configure-pkcs11", home);
    }

    static CliProcess launcher(String name, Path home) {
        return new CliProcess("bin/" + name, home);
    }

    CliProcess env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** Whether this JVM runs as root, which may read and write any file whatever its mode. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * Runs the launcher as an unprivileged user: as {@code nobody} (with setpriv) when the tests run as
     * root, else as the user running the tests, who is unprivileged already.
     */
    CliProcess asUnprivilegedUser() {
        if (runningAsRoot()) {
            prefix.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        return this;
    }

    Process start(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(ROOT.resolve(launcher).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(String... args) {
        return run(Duration.ofSeconds(TIMEOUT_SECONDS), args);
    }

    /** Runs with a bound of its own, for commands that run long by design (the soak). */
    Result run(Duration timeout, String... args) {
        Process p = start(args);
        try {
            p.getOutputStream().close();
            // Read both streams fully on other threads so neither pipe can fill and stall the child.
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(launcher + " " + String.join(" ", args) + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
