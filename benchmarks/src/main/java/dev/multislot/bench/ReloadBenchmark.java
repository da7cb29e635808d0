package dev.multislot.bench;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.BenchPaths;
import dev.multislot.bench.internal.BenchUser;
import dev.multislot.bench.internal.ServerInfo;
import dev.multislot.bench.internal.ServerProcess;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.ReactorHsmConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot reload: the time from writing a config file that adds a cluster to the new slot serving
 * its first request. One measured invocation is one reload: {@link ConfigStore#update} adds the
 * cluster to the file that a {@link FileClusterConfigSource} (default settings: inotify watch,
 * 100 ms debounce) feeds to a running connector; the invocation ends when the new slot has logged
 * in and answered a RANDOM request over its fresh TLS connection. Before each one, untimed, the
 * cluster is removed again and its slot awaited gone. JMH's single-shot mode with one invocation
 * per iteration gives one sample per reload; the p50/p99 come from JMH's percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 100)
public class ReloadBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ServerProcess server;
    private Path dir;
    private ConfigStore store;
    private FileClusterConfigSource source;
    private ReactorHsmConnector connector;
    private ClusterConfig extra;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = ServerProcess.start(2, 1);
        ServerInfo info = server.info();
        Files.createDirectories(BenchPaths.outputDir());
        dir = Files.createTempDirectory(BenchPaths.outputDir(), "reload-");
        store = ConfigStore.at(dir.resolve("cloudhsm-pkcs11.cfg"));
        ClusterConfig base = config(info.clusters().get(0));
        extra = config(info.clusters().get(1));
        store.update(f -> f.withCluster(base));
        source = FileClusterConfigSource.watch(store.path());
        connector = ReactorHsmConnector.builder().configSource(source).build();
        connector.connect().block(TIMEOUT);
        if (connector.slot(base.clusterId()).isEmpty()) {
            throw new IllegalStateException("the connector did not load " + store.path());
        }
    }

    private static ClusterConfig config(ServerInfo.Cluster c) {
        return new ClusterConfig(ClusterId.of(c.id()), Optional.empty(), c.caFile(),
                c.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList(),
                Optional.empty(), Optional.empty());
    }

    /** Untimed: takes the extra cluster out of the file and waits until its slot is gone. */
    @Setup(Level.Iteration)
    public void removeExtraCluster() throws Exception {
        if (connector.slot(extra.clusterId()).isEmpty()) {
            return;
        }
        CompletableFuture<SlotEvent> removed = connector.events()
                .filter(e -> e instanceof SlotEvent.SlotRemoved r && r.clusterId().equals(extra.clusterId()))
                .next()
                .toFuture();
        store.update(f -> f.withoutCluster(extra.clusterId()));
        removed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One reload: write the file, wait for the slot, log in, one request. */
    @Benchmark
    public byte[] addClusterUntilServing() throws Exception {
        CompletableFuture<SlotEvent> added = connector.events()
                .filter(e -> e instanceof SlotEvent.SlotAdded a && a.clusterId().equals(extra.clusterId()))
                .next()
                .toFuture();
        store.update(f -> f.withCluster(extra));
        added.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return connector.requireSlot(extra.clusterId())
                .flatMap(slot -> slot.login(Credentials.of(BenchUser.USER, BenchUser.password())))
                .flatMap(session -> session.random(BenchOp.RANDOM_LENGTH))
                .block(TIMEOUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (connector != null) {
                connector.close(Duration.ofSeconds(5)).block(TIMEOUT);
            }
            if (source != null) {
                source.close();
            }
        } finally {
            server.close();
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // leftovers under target/ are harmless
        }
    }
}
