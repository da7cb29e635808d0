package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    @TempDir
    Path dir;

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    @Test
    void createsTheFileAndItsDirectoriesWithMode0644() throws IOException {
        Path file = dir.resolve("etc/cloudhsm/cloudhsm-pkcs11.cfg");
        ConfigStore store = ConfigStore.at(file);
        assertThat(store.read()).isEqualTo(ConfigFile.empty());

        ConfigFile written = store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "10.0.0.1")));

        assertThat(store.read()).isEqualTo(written);
        assertThat(written.clusters()).extracting(ClusterConfig::clusterId).containsExactly(ClusterId.of("cluster-1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(file.resolveSibling("cloudhsm-pkcs11.cfg.lock")).exists();
        assertThat(Files.readString(file)).isEqualTo(written.toJson());
    }

    @Test
    void anUpdateOfAMissingFileThatChangesNothingStillCreatesIt() {
        Path file = dir.resolve("a.cfg");

        ConfigFile written = ConfigStore.at(file).update(f -> f);

        assertThat(written).isEqualTo(ConfigFile.empty());
        assertThat(file).hasContent("{\n  \"clusters\": []\n}");
    }

    @Test
    void replacesTheFileByRenameKeepingItsModeAndOwner() throws IOException {
        Path file = dir.resolve("a.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        boolean root = "root".equals(System.getProperty("user.name"));
        UserPrincipal nobody = root ? file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody") : null;
        if (root) {
            Files.setOwner(file, nobody);
        }
        Object before = inode(file);

        store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-2", "h2")));

        assertThat(inode(file)).as("a new inode: written aside and renamed").isNotEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");
        if (root) {
            assertThat(Files.getOwner(file)).isEqualTo(nobody);
        }
        assertThat(store.read().clusters()).hasSize(2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.cfg", "a.cfg.lock");
        }
    }

    @Test
    void anInvalidFileIsNeverOverwritten() throws IOException {
        Path file = dir.resolve("a.cfg");
        Files.writeString(file, "{\"clusters\": [{\"cluster\": {\"cluster_id\": \"c\", \"servers\": []}}]}");
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> ConfigStore.at(file).update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-2", "h2"))))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.path()).contains(file);
                    assertThat(e.jsonPath()).contains("$.clusters[0].cluster.hsm_ca_file");
                });
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aChangeThatFailsOrChangesNothingWritesNothing() throws IOException {
        Path file = dir.resolve("a.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1")));
        Object before = inode(file);
        IllegalStateException failure = new IllegalStateException("the caller's own error");

        assertThatThrownBy(() -> store.update(f -> {
            throw failure;
        })).isSameAs(failure);
        store.update(f -> f.withoutCluster(ClusterId.of("not-there")));

        assertThat(inode(file)).isEqualTo(before);
    }

    @Test
    void anUpdateFromInsideAChangeIsRefused() {
        Path file = dir.resolve("a.cfg");
        ConfigStore store = ConfigStore.at(file);

        assertThatThrownBy(() -> store.update(f -> ConfigStore.at(file).update(g -> g)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("do not call update() from inside a change function");
        // The lock was released: the next update goes through.
        assertThat(store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1"))).clusters()).hasSize(1);
    }

    @Test
    void concurrentUpdatesFromManyThreadsAreAllKept() throws Exception {
        Path file = dir.resolve("a.cfg");
        int threads = 8;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    String id = "cluster-t" + thread + "x" + i;
                    // A new store per edit, as separate parts of a program would have.
                    ConfigStore.at(file).update(f -> f.withCluster(ConfigFileEditTest.cluster(id, "h")));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(ConfigStore.at(file).read().clusters()).hasSize(threads * each);
    }

    @Test
    void removesTemporaryFilesLeftByAKilledWriter() throws IOException {
        Path file = dir.resolve("a.cfg");
        Path stale = Files.writeString(dir.resolve(".a.cfg.123456.tmp"), "{\"clus");
        Path unrelated = Files.writeString(dir.resolve(".b.cfg.1.tmp"), "x");

        ConfigStore.at(file).update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1")));

        assertThat(stale).doesNotExist();
        assertThat(unrelated).exists();
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsRewritten() throws IOException {
        Path real = Files.createDirectories(dir.resolve("real")).resolve("x.cfg");
        Files.writeString(real, "{\"clusters\": []}");
        Path link = Files.createSymbolicLink(dir.resolve("link.cfg"), real);

        ConfigStore.at(link).update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1")));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(ConfigStore.at(real).read().clusters()).hasSize(1);
    }

    @Test
    void refusesToWriteAFileOverTheSizeLimit() {
        Path file = dir.resolve("a.cfg");
        ConfigStore store = ConfigStore.at(file, ConfigCodec.withMaxFileSize(300));

        assertThatThrownBy(() -> store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-1", "h1", "h2", "h3", "h4"))))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.path()).contains(file);
                    assertThat(e.problem()).contains("refusing to write").contains("over the limit of 300 bytes");
                });
        assertThat(file).doesNotExist();
    }
}
