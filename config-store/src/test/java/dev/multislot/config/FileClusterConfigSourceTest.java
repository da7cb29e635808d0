package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ConfigUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.concurrent.locks.LockSupport;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class FileClusterConfigSourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<FileClusterConfigSource> sources = new ArrayList<>();

    @AfterEach
    void closeSources() {
        sources.forEach(FileClusterConfigSource::close);
    }

    private FileClusterConfigSource watch(Path file, Duration debounce) {
        FileClusterConfigSource source = FileClusterConfigSource.builder(file).debounce(debounce)
                .pollInterval(Duration.ofSeconds(2)).checkReferencedFiles(false).build();
        sources.add(source);
        return source;
    }

    private static ClusterConfig cluster(String id) {
        return ConfigFileEditTest.cluster(id, "10.0.0.1", "10.0.0.2");
    }

    private static String json(ClusterConfig... clusters) {
        ConfigFile file = ConfigFile.empty();
        for (ClusterConfig c : clusters) {
            file = file.withCluster(c);
        }
        return file.toJson();
    }

    private static void assertLoaded(ConfigUpdate update, List<String> clusters, List<String> added, List<String> removed,
                                     List<String> changed) {
        assertThat(update).isInstanceOf(ConfigUpdate.Loaded.class);
        ConfigUpdate.Loaded loaded = (ConfigUpdate.Loaded) update;
        assertThat(loaded.clusters()).extracting(c -> c.clusterId().value()).as("clusters").containsExactlyElementsOf(clusters);
        assertThat(loaded.diff().added()).extracting(c -> c.clusterId().value()).as("added").containsExactlyElementsOf(added);
        assertThat(loaded.diff().removed()).extracting(ClusterId::value).as("removed").containsExactlyElementsOf(removed);
        assertThat(loaded.diff().changed()).extracting(c -> c.clusterId().value()).as("changed").containsExactlyElementsOf(changed);
    }

    private static List<String> ids(String... ids) {
        return Arrays.asList(ids);
    }

    @Test
    void aMissingFileIsAConfigWithNoClusters() {
        FileClusterConfigSource source = watch(dir.resolve("none.cfg"), Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void atomicRenameWritesAreLoadedWithTheirDiffs() {
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> store.update(f -> f.withCluster(cluster("cluster-b"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-b"), ids(), ids()))
                .then(() -> store.update(f -> f.withoutCluster(ClusterId.of("cluster-a"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-b"), ids(), ids("cluster-a"), ids()))
                .then(() -> store.update(f -> f.withCluster(ConfigFileEditTest.cluster("cluster-b", "10.9.9.9"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-b"), ids(), ids(), ids("cluster-b")))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aRewriteThatChangesNoClusterGivesNoItem() {
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> write(file, json(cluster("cluster-a")).replace("{\n  \"clusters\"", "{\n  \"comment\": \"x\",\n  \"clusters\"")))
                .then(() -> store.update(f -> f.withCluster(cluster("cluster-b"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-b"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void anEditorWritingInPlaceIsSeenOnceWhole() {
        Path file = dir.resolve("c.cfg");
        write(file, json(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(500));
        byte[] next = json(cluster("cluster-a"), cluster("cluster-b")).getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> writeInPlace(file, next, Duration.ofMillis(100)))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-b"), ids(), ids()))
                .expectNoEvent(Duration.ofMillis(1200))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aHalfWrittenFileReadAfterTheDebounceIsNotReportedIfTheRestFollowsWithinAnotherDebounce() {
        Path file = dir.resolve("c.cfg");
        write(file, json(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(1000));
        byte[] next = json(cluster("cluster-a"), cluster("cluster-c")).getBytes(StandardCharsets.UTF_8);

        // The pause (1.3 debounce times) lets the watcher read the half file once; the rest comes before it would confirm it.
        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> writeInPlace(file, next, Duration.ofMillis(1300)))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-c"), ids("cluster-c"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aFileDeletedAndCreatedAgainIsOneChange() {
        Path file = dir.resolve("c.cfg");
        write(file, json(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(300));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> {
                    delete(file);
                    write(file, json(cluster("cluster-b")));
                })
                .assertNext(u -> assertLoaded(u, ids("cluster-b"), ids("cluster-b"), ids("cluster-a"), ids()))
                .expectNoEvent(Duration.ofMillis(800))
                .then(() -> delete(file))
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids("cluster-b"), ids()))
                .then(() -> write(file, json(cluster("cluster-c"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-c"), ids("cluster-c"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aDirectoryThatAppearsLaterIsFollowedDown() {
        Path file = dir.resolve("opt/cloudhsm/etc/cloudhsm-pkcs11.cfg");
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .then(() -> ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-a"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-b"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-b"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void anInvalidFileIsRejectedAndTheLastGoodConfigStaysUntilItIsFixed() {
        Path file = dir.resolve("c.cfg");
        write(file, json(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));
        String broken = json(cluster("cluster-a"), cluster("cluster-b")).replaceFirst("\"port\": 2223", "\"port\": 70000");

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> write(file, broken))
                .assertNext(u -> {
                    assertThat(u).isInstanceOf(ConfigUpdate.Rejected.class);
                    assertThat(((ConfigUpdate.Rejected) u).problem()).isEqualTo(file
                            + ": $.clusters[0].cluster.servers[0].port: expected an integer from 1 to 65535, got 70000");
                })
                .then(() -> write(file, json(cluster("cluster-a"), cluster("cluster-c"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-c"), ids("cluster-c"), ids(), ids()))
                .then(() -> write(file, "{"))
                .assertNext(u -> assertThat(((ConfigUpdate.Rejected) u).problem()).startsWith(file + ": invalid JSON at line 1"))
                .then(() -> write(file, json(cluster("cluster-a"), cluster("cluster-c"))))
                .as("fixed with the clusters in force: a Loaded with an empty diff says the file is good again")
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-c"), ids(), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aBurstOfWritesIsOneUpdate() {
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        // A debounce well above the time between two updates, even on a loaded machine.
        FileClusterConfigSource source = watch(file, Duration.ofMillis(1000));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .then(() -> {
                    for (int i = 1; i <= 5; i++) {
                        String id = "cluster-" + i;
                        store.update(f -> f.withCluster(cluster(id)));
                    }
                })
                .assertNext(u -> assertLoaded(u, ids("cluster-1", "cluster-2", "cluster-3", "cluster-4", "cluster-5"),
                        ids("cluster-1", "cluster-2", "cluster-3", "cluster-4", "cluster-5"), ids(), ids()))
                .expectNoEvent(Duration.ofMillis(1500))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aLateSubscriberGetsTheConfigInForceFirstThenTheRejection() {
        Path file = dir.resolve("c.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));
        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .then(() -> store.update(f -> f.withCluster(cluster("cluster-b"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-b"), ids(), ids()))
                .then(() -> write(file, "[]"))
                .assertNext(u -> assertThat(u).isInstanceOf(ConfigUpdate.Rejected.class))
                .thenCancel()
                .verify(TIMEOUT);

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("cluster-a", "cluster-b"), ids("cluster-a", "cluster-b"), ids(), ids()))
                .assertNext(u -> assertThat(((ConfigUpdate.Rejected) u).problem()).contains("$: expected a JSON object"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void aMissingCaFileIsRejectedUntilItAppears() throws IOException {
        Path file = dir.resolve("c.cfg");
        Path ca = dir.resolve("customerCA.crt");
        ClusterConfig withCa = new ClusterConfig(ClusterId.of("cluster-a"), Optional.empty(), ca,
                cluster("cluster-a").servers(), Optional.empty(), Optional.empty());
        write(file, json(withCa));
        FileClusterConfigSource source = FileClusterConfigSource.builder(file).debounce(Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(100)).build();
        sources.add(source);

        StepVerifier.create(source.updates())
                .assertNext(u -> assertThat(((ConfigUpdate.Rejected) u).problem()).isEqualTo(file
                        + ": $.clusters[0].cluster.hsm_ca_file: the CA certificate file " + ca + " does not exist"))
                .then(() -> write(ca, "-----BEGIN CERTIFICATE-----\n"))
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void pollingAloneSeesChangesWhereNoWatchServiceWorks() {
        Path file = dir.resolve("c.cfg");
        FileClusterConfigSource source = FileClusterConfigSource.builder(file).useWatchService(false)
                .debounce(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(100)).checkReferencedFiles(false).build();
        sources.add(source);

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .then(() -> ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-a"))))
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void subscribingFromAnEventLoopThreadNeverBlocks() {
        Path file = dir.resolve("c.cfg");
        ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-a")));
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        // BlockHound (active in this JVM) fails the test if anything blocks on the parallel scheduler.
        StepVerifier.create(source.updates().subscribeOn(Schedulers.parallel()).publishOn(Schedulers.parallel()))
                .assertNext(u -> assertLoaded(u, ids("cluster-a"), ids("cluster-a"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void closingFromInsideOnNextCompletesTheFlux() {
        Path file = dir.resolve("c.cfg");
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .then(() -> ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-a"))))
                .assertNext(u -> source.close()) // on the watcher thread, while it emits
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void blockHoundIsActiveSoTheTestAboveCanFail() {
        StepVerifier.create(Mono.fromRunnable(() -> LockSupport.parkNanos(1_000)).subscribeOn(Schedulers.parallel()))
                .expectErrorMatches(e -> e instanceof BlockingOperationError)
                .verify(TIMEOUT);
    }

    @Test
    void theSdkToolsFileIsLoadedWithItsSyntheticId() throws IOException {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        write(file, ConfigFileParseTest.sdkFile());
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));

        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids("servers:10.0.1.12"), ids("servers:10.0.1.12"), ids(), ids()))
                .then(() -> ConfigStore.at(file).update(f -> f.withCluster(cluster("cluster-1234567"))))
                .assertNext(u -> assertLoaded(u, ids("servers:10.0.1.12", "cluster-1234567"), ids("cluster-1234567"), ids(), ids()))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void closeCompletesEveryFluxAndStopsTheThread() throws InterruptedException {
        Path file = dir.resolve("closing.cfg");
        FileClusterConfigSource source = watch(file, Duration.ofMillis(50));
        StepVerifier.Step<ConfigUpdate> first = StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()));
        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .then(source::close)
                .verifyComplete();
        first.verifyComplete();
        source.close();

        Thread watcher = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("multislot-config-watcher-closing.cfg")).findFirst().orElse(null);
        if (watcher != null) {
            watcher.join(TIMEOUT.toMillis());
            assertThat(watcher.isAlive()).isFalse();
        }
        StepVerifier.create(source.updates())
                .assertNext(u -> assertLoaded(u, ids(), ids(), ids(), ids()))
                .expectComplete()
                .verify(TIMEOUT);
    }

    // ---- writing the way editors and tools do ----

    /** Writes a whole new file (a new inode) and renames it over the old one. */
    private static void write(Path file, String content) {
        try {
            Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Truncates the file and writes the content in two halves with a pause between, like a slow editor. */
    private static void writeInPlace(Path file, byte[] content, Duration pause) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            int half = content.length / 2;
            channel.write(ByteBuffer.wrap(content, 0, half));
            channel.force(true);
            Thread.sleep(pause.toMillis());
            channel.write(ByteBuffer.wrap(content, half, content.length - half));
            channel.force(true);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
