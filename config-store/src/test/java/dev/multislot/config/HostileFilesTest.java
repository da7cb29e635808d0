package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ConfigUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * What the probe of issue 18 found: FIFOs, devices and directories where the config file should be,
 * lock files outside the target, files the caller may not write. Every test here hung or wrote
 * where it should not before the fix.
 */
class HostileFilesTest {

    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<FileClusterConfigSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(FileClusterConfigSource::close);
    }

    static Path mkfifo(Path fifo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor()).as("mkfifo " + fifo).isZero();
        return fifo;
    }

    private static ClusterConfig cluster(String id) {
        return ConfigFileEditTest.cluster(id, "10.0.0.1");
    }

    private List<String> filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFifoAsTheConfigFileIsRefusedAtOnceAndNoLockIsTaken() throws Exception {
        Path fifo = mkfifo(dir.resolve("f.cfg"));
        ConfigStore store = ConfigStore.at(fifo);

        assertTimeoutPreemptively(BOUND, () -> {
            assertThatThrownBy(store::read).isInstanceOf(ConfigFileException.class)
                    .hasMessageContaining("is not a regular file");
            assertThatThrownBy(() -> store.update(f -> f.withCluster(cluster("cluster-a"))))
                    .isInstanceOf(ConfigFileException.class).hasMessageContaining("is not a regular file");
        });
        assertThat(filesIn(dir)).containsExactly("f.cfg");
    }

    @Test
    void emptyAndDotConfigPathsAreRefusedBeforeAnyLockFileIsMade() throws Exception {
        Path parent = dir.resolve("p");
        Path cwdLike = Files.createDirectories(parent.resolve("work"));

        assertThatThrownBy(() -> ConfigStore.at(Path.of(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no file");
        assertThatThrownBy(() -> ConfigStore.at(cwdLike.resolve(".")).update(f -> f.withCluster(cluster("cluster-a"))))
                .isInstanceOf(ConfigFileException.class).hasMessageContaining("is a directory");
        assertThat(filesIn(parent)).as("no work.lock beside the directory").containsExactly("work");
    }

    @Test
    void aLinkToADeviceOrFifoIsRefusedAndNoLockFileAppearsBesideItsTarget() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path fifo = mkfifo(elsewhere.resolve("pipe"));
        Path toFifo = Files.createSymbolicLink(dir.resolve("a.cfg"), fifo);
        boolean devNullLockBefore = Files.exists(Path.of("/dev/null.lock"));
        Path toNull = Files.createSymbolicLink(dir.resolve("b.cfg"), Path.of("/dev/null"));

        assertTimeoutPreemptively(BOUND, () -> {
            assertThatThrownBy(() -> ConfigStore.at(toFifo).update(f -> f.withCluster(cluster("cluster-a"))))
                    .isInstanceOf(ConfigFileException.class).hasMessageContaining("is not a regular file");
            assertThatThrownBy(() -> ConfigStore.at(toNull).update(f -> f.withCluster(cluster("cluster-a"))))
                    .isInstanceOf(ConfigFileException.class).hasMessageContaining("leads to /dev/null");
        });
        assertThat(filesIn(elsewhere)).containsExactly("pipe");
        if (!devNullLockBefore) {
            assertThat(Path.of("/dev/null.lock")).doesNotExist();
        }
    }

    @Test
    void aFileThisProcessMayNotWriteIsNotReplaced() throws Exception {
        // Root may write any file whatever its mode (so a mode of r--r--r-- alone proves nothing when the
        // tests run as root); an immutable file (chattr +i) may be written by nobody, root included, and
        // is what access(2) reports as not writable here. The subprocess test in the cli module runs
        // the same edit as an unprivileged user against a read-only file of root's.
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(cluster("cluster-a")));
        String before = Files.readString(file);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assertThat(new ProcessBuilder("chattr", "+i", file.toString()).inheritIO().start().waitFor()).isZero();
        } else {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        }
        try {
            assertThatThrownBy(() -> store.update(f -> f.withCluster(cluster("cluster-b"))))
                    .isInstanceOf(ConfigFileException.class)
                    .hasMessageContaining("cannot edit: permission denied");
            assertThat(Files.readString(file)).isEqualTo(before);
        } finally {
            if (root) {
                new ProcessBuilder("chattr", "-i", file.toString()).inheritIO().start().waitFor();
            }
        }
    }

    @Test
    void theWatcherSurvivesAFifoSwappedInAndOutAndHotReloadGoesOn() throws Exception {
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(cluster("cluster-a")));
        FileClusterConfigSource source = FileClusterConfigSource.builder(file).debounce(Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(200)).checkReferencedFiles(false).build();
        sources.add(source);
        Path fifo = mkfifo(dir.resolve("swap.fifo"));
        Path good = dir.resolve("good.new");

        StepVerifier.create(source.updates())
                .assertNext(u -> assertThat(u).isInstanceOf(ConfigUpdate.Loaded.class))
                .then(() -> move(fifo, file))
                .assertNext(u -> {
                    assertThat(u).isInstanceOf(ConfigUpdate.Rejected.class);
                    assertThat(((ConfigUpdate.Rejected) u).problem()).contains("is not a regular file");
                })
                .then(() -> {
                    writeString(good, ConfigFile.empty().withCluster(cluster("cluster-a")).withCluster(cluster("cluster-b")).toJson());
                    move(good, file);
                })
                .assertNext(u -> assertThat(((ConfigUpdate.Loaded) u).diff().added())
                        .extracting(c -> c.clusterId().value()).containsExactly("cluster-b"))
                .then(() -> store.update(f -> f.withoutCluster(dev.multislot.api.ClusterId.of("cluster-a"))))
                .assertNext(u -> assertThat(((ConfigUpdate.Loaded) u).diff().removed())
                        .extracting(dev.multislot.api.ClusterId::value).containsExactly("cluster-a"))
                .thenCancel()
                .verify(BOUND);
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
