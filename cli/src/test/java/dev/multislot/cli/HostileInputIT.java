package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe of issue 18, run again through the real launchers: each of these hung, wrote what it
 * should not, or said the wrong thing before the fixes.
 */
class HostileInputIT {

    @TempDir
    static Path shared;

    static LocalControlPlane controlPlane;
    static LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        controlPlane = LocalControlPlane.start();
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(shared.resolve("ca")).build());
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-aaa1111", "us-east-1",
                ControlPlaneHsm.active("hsm-a1", "10.0.1.11", "us-east-1a")));
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-shell01", "us-east-1",
                ControlPlaneHsm.active("hsm-s1", "$(id)", "us-east-1a")));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        controlPlane.close();
    }

    private CliProcess cli() {
        return CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1");
    }

    private List<String> add(Path config, String... extra) {
        List<String> args = new ArrayList<>(List.of("add-cluster", "--endpoint", controlPlane.endpoint().toString(),
                "--hsm-ca-cert", cluster.caFile().toString(), "--config-file", config.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static void assertOneLineError(CliProcess.Result r, int exit, String... inMessage) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.stderr().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.stderr()).contains(inMessage);
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFifoAsTheConfigFileIsRefusedAtOnceNotWaitedOnForever() throws Exception {
        Path fifo = dir.resolve("f.cfg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertOneLineError(cli().run("list-clusters", "--config-file", fifo.toString()), ExitCode.CONFIG_FILE_ERROR,
                "is not a regular file");
        assertOneLineError(cli().run(add(fifo, "--cluster-id", "cluster-aaa1111").toArray(String[]::new)),
                ExitCode.CONFIG_FILE_ERROR, "is not a regular file");
        assertThat(names(dir)).as("no lock file").containsExactly("f.cfg");
    }

    @Test
    void configPathsThatNameNoFileOrADeviceAreRefusedBeforeAnyLockFile() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path toNull = Files.createSymbolicLink(dir.resolve("null.cfg"), Path.of("/dev/null"));
        boolean devNullLockBefore = Files.exists(Path.of("/dev/null.lock"));

        assertOneLineError(cli().run(add(Path.of(""), "--cluster-id", "cluster-aaa1111").toArray(String[]::new)),
                ExitCode.BAD_INPUT, "--config-file", "names no file");
        assertOneLineError(cli().run(add(sub.resolve("."), "--cluster-id", "cluster-aaa1111").toArray(String[]::new)),
                ExitCode.CONFIG_FILE_ERROR, "is a directory");
        assertOneLineError(cli().run(add(toNull, "--cluster-id", "cluster-aaa1111").toArray(String[]::new)),
                ExitCode.CONFIG_FILE_ERROR, "/dev/null");

        assertThat(names(dir)).as("no sub.lock, no null.cfg.lock").containsExactly("null.cfg", "sub");
        if (!devNullLockBefore) {
            assertThat(Path.of("/dev/null.lock")).doesNotExist();
        }
    }

    @Test
    void aHugeClusterIdGetsAShortMessage() {
        CliProcess.Result r = cli().run(add(dir.resolve("c.cfg"), "--cluster-id", "cluster-" + "a".repeat(100_000))
                .toArray(String[]::new));

        assertOneLineError(r, ExitCode.BAD_INPUT, "--cluster-id", "(100008 characters)");
        assertThat(r.stderr().length()).isLessThan(400);
    }

    @Test
    void anHsmAddressThatIsNotAnAddressIsNeverWritten() {
        Path config = dir.resolve("c.cfg");
        CliProcess.Result r = cli().run(add(config, "--cluster-id", "cluster-shell01").toArray(String[]::new));

        assertOneLineError(r, ExitCode.AWS_API_ERROR, "'$(id)'", "neither an IP address nor a host name");
        assertThat(config).doesNotExist();
    }

    @Test
    void aCaInADirectoryThisUserCannotSearchIsPermissionDeniedNotMissing() throws Exception {
        // Root searches any directory: the run is as an unprivileged user (nobody, when the tests run as root).
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectories(dir.resolve("closed"));
        Path ca = Files.copy(cluster.caFile(), closed.resolve("ca.crt"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        if (!CliProcess.runningAsRoot()) {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("-w-------"));
        }

        CliProcess.Result r = cli().asUnprivilegedUser().run("add-cluster", "--cluster-id", "cluster-aaa1111",
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", ca.toString(),
                "--config-file", dir.resolve("c.cfg").toString());

        assertOneLineError(r, ExitCode.BAD_INPUT, "--hsm-ca-cert", "permission denied");
        assertThat(r.stderr()).doesNotContain("no such file");
    }

    @Test
    void aReadOnlyFileOfAnotherUserIsNotReplacedThroughItsWritableDirectory() throws Exception {
        // The directory is writable by everyone, the file by its owner only: renaming over it would
        // work, and would replace a file this user may not write. It must be refused instead.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path config = dir.resolve("c.cfg");
        assertThat(cli().run(add(config, "--cluster-id", "cluster-aaa1111").toArray(String[]::new)).exitCode()).isZero();
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("r--r--r--"));
        String before = Files.readString(config);
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-bbb2222", "us-east-1",
                ControlPlaneHsm.active("hsm-b1", "10.0.2.22", "us-east-1b")));

        Path readableCa = Files.copy(cluster.caFile(), dir.resolve("ca.crt"));
        Files.setPosixFilePermissions(readableCa, PosixFilePermissions.fromString("rw-r--r--"));

        CliProcess.Result r = cli().asUnprivilegedUser().run("add-cluster", "--cluster-id", "cluster-bbb2222",
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", readableCa.toString(),
                "--config-file", config.toString());

        assertOneLineError(r, ExitCode.CONFIG_FILE_ERROR, "cannot edit: permission denied");
        assertThat(Files.readString(config)).isEqualTo(before);
    }

    @Test
    void traceLoggingIsHonouredAndNeverShowsTheSessionToken() {
        String token = "FwoGZXIvYXdzEJr-SESSION-TOKEN-MUST-NOT-BE-LOGGED-7f3a";
        CliProcess.Result r = cli().env("MULTISLOT_LOG_LEVEL", "trace").env("AWS_SESSION_TOKEN", token)
                .run(add(dir.resolve("c.cfg"), "--cluster-id", "cluster-aaa1111").toArray(String[]::new));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).as("trace logging is on").contains("[main] DEBUG", "TRACE");
        assertThat(r.stderr() + r.stdout()).as("no log line carries the session token").doesNotContain(token)
                .doesNotContain("local-test-secret");
    }

    @Test
    void anUnknownLogLevelIsNamedAndTheDefaultUsed() {
        CliProcess.Result r = cli().env("MULTISLOT_LOG_LEVEL", "loud").run("list-clusters", "--config-file",
                dir.resolve("none.cfg").toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("MULTISLOT_LOG_LEVEL=loud is not one of error, warn, info, debug, trace");
    }

    @Test
    void addClusterAgainstLocalOnPortZeroWritesThePortsTheHsmsListenOn() throws Exception {
        // At debug, through bin/multislot: the level reaches hsm-local's loggers too.
        Process local = CliProcess.launcher("multislot", dir).env("MULTISLOT_LOG_LEVEL", "debug").start("local",
                "--clusters", "1", "--hsms", "2", "--port", "0", "--json", "--directory", dir.resolve("local").toString());
        java.util.concurrent.LinkedBlockingQueue<String> stderr = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(local.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    stderr.add(l);
                }
            } catch (java.io.IOException e) {
                // destroy() closes the stream: the end of what we read
            }
        }, "local-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8)).readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            JsonNode started = new ObjectMapper().readTree(line.get(120, TimeUnit.SECONDS));
            JsonNode c = started.path("clusters").get(0);
            List<Integer> ports = new ArrayList<>();
            c.path("hsms").forEach(h -> ports.add(h.path("port").asInt()));
            assertThat(ports).doesNotContain(2223);
            Path config = dir.resolve("c.cfg");

            CliProcess.Result r = cli().run("add-cluster", "--cluster-id", c.path("cluster_id").asText(),
                    "--endpoint", started.path("control_plane_endpoint").asText(), "--hsm-ca-cert", c.path("ca_file").asText(),
                    "--config-file", config.toString());

            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<Integer> written = new ArrayList<>();
            new ObjectMapper().readTree(config.toFile()).path("clusters").get(0).path("cluster").path("servers")
                    .forEach(s -> written.add(s.path("port").asInt()));
            assertThat(written).containsExactlyInAnyOrderElementsOf(ports);
            // The HSMs log "listening" at debug before the launcher prints its JSON line.
            boolean debugSeen = false;
            for (String l = stderr.poll(30, TimeUnit.SECONDS); l != null && !debugSeen; l = stderr.poll(30, TimeUnit.SECONDS)) {
                debugSeen = l.contains("DEBUG dev.multislot.local.internal.server.HsmServer");
            }
            assertThat(debugSeen).as("MULTISLOT_LOG_LEVEL=debug reached hsm-local's loggers").isTrue();
        } finally {
            local.destroy();
            local.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
