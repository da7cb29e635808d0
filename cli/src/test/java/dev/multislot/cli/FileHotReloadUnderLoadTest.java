package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigFile;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Hot reload end to end, across modules: a connector follows a real config file through
 * {@link FileClusterConfigSource} while 256 requests are in flight on the slot the edits leave
 * alone and 64 on the slot they remove. One edit goes through {@link ConfigStore} (what
 * {@code configure-pkcs11} does), the other rewrites the file in place, as an editor would.
 */
class FileHotReloadUnderLoadTest {

    private static final Credentials USER = Credentials.of(LocalClusterSpec.DEFAULT_USERNAME,
            LocalClusterSpec.DEFAULT_PASSWORD.toCharArray());
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static LocalCluster untouched;
    private static LocalCluster removed;
    private static LocalCluster added;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        untouched = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).build());
        removed = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).build());
        added = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).build());
    }

    @AfterAll
    static void stop() {
        untouched.close();
        removed.close();
        added.close();
    }

    private static ClusterConfig config(LocalCluster cluster) {
        return new ClusterConfig(ClusterId.of(cluster.clusterId()), Optional.of("us-east-1"), cluster.caFile(),
                cluster.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList(),
                Optional.empty(), Optional.empty());
    }

    private static ClusterId id(LocalCluster cluster) {
        return ClusterId.of(cluster.clusterId());
    }

    /**
     * Signs up to {@code count} messages, {@code inFlight} at a time, until {@code stop}; counts
     * outcomes by kind.
     */
    private static Mono<Void> load(SlotSession session, KeyRef key, int count, Mono<Void> stop, int inFlight,
                                   AtomicInteger ok, Map<String, AtomicInteger> errors, CountDownLatch warmedUp) {
        return Flux.range(0, count)
                .takeUntilOther(stop)
                .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {i.byteValue(), (byte) (i >> 8)})
                        .doOnNext(s -> {
                            if (ok.incrementAndGet() == 500) {
                                warmedUp.countDown();
                            }
                        })
                        .onErrorResume(e -> {
                            errors.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                            return Mono.empty();
                        }), inFlight)
                .then()
                .cache();
    }

    /** Subscribes now (events are hot) to the first event that matches. */
    private static CompletableFuture<SlotEvent> next(ReactorHsmConnector connector, Predicate<SlotEvent> condition) {
        CompletableFuture<SlotEvent> f = connector.events().filter(condition).next().toFuture();
        return f;
    }

    @Test
    void clustersAddedAndRemovedInTheFileUnderLoadDisturbNoOtherSlotAndLeaveNoRequestHanging() throws Exception {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(config(untouched)).withCluster(config(removed)));

        HsmConnectorOptions options = HsmConnectorOptions.builder()
                .requestTimeout(Duration.ofSeconds(10))
                .drainGracePeriod(Duration.ofSeconds(5))
                .build();
        try (FileClusterConfigSource source = FileClusterConfigSource.watch(file);
             ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source).build()) {
            connector.connect().block(AWAIT);
            SlotSession stay = connector.requireSlot(id(untouched)).flatMap(s -> s.login(USER)).block(AWAIT);
            SlotSession leave = connector.requireSlot(id(removed)).flatMap(s -> s.login(USER)).block(AWAIT);
            KeyRef stayKey = stay.generateKey(KeyType.HMAC_SHA256, "stay").block(AWAIT);
            KeyRef leaveKey = leave.generateKey(KeyType.HMAC_SHA256, "leave").block(AWAIT);

            AtomicInteger stayOk = new AtomicInteger();
            Map<String, AtomicInteger> stayErrors = new ConcurrentHashMap<>();
            AtomicInteger leaveOk = new AtomicInteger();
            Map<String, AtomicInteger> leaveErrors = new ConcurrentHashMap<>();
            // Both loads are far longer than the test: the untouched one runs until both edits are
            // applied; the other stops starting requests when its slot starts draining (those it
            // has in flight then are what the removal must not leave hanging).
            int count = 500_000;
            Sinks.Empty<Void> editsDone = Sinks.empty();
            CompletableFuture<SlotEvent> draining = next(connector,
                    e -> e instanceof SlotEvent.SlotDraining d && d.clusterId().equals(id(removed)));
            CountDownLatch started = new CountDownLatch(2);
            Mono<Void> stayLoad = load(stay, stayKey, count, editsDone.asMono(), 256, stayOk, stayErrors, started);
            Mono<Void> leaveLoad = load(leave, leaveKey, count, Mono.fromFuture(draining).then(), 64, leaveOk,
                    leaveErrors, started);
            stayLoad.subscribe();
            leaveLoad.subscribe();
            assertThat(started.await(AWAIT.toSeconds(), TimeUnit.SECONDS)).as("both loads running").isTrue();

            // 1. Through ConfigStore, as configure-pkcs11 add-cluster writes it.
            CompletableFuture<SlotEvent> slotAdded = next(connector,
                    e -> e instanceof SlotEvent.SlotAdded a && a.clusterId().equals(id(added)));
            store.update(f -> f.withCluster(config(added)));
            assertThat(slotAdded).as("the added slot").succeedsWithin(AWAIT);
            SlotSession fresh = connector.requireSlot(id(added)).flatMap(s -> s.login(USER)).block(AWAIT);
            assertThat(fresh.random(16).block(AWAIT)).hasSize(16);

            // 2. By hand: the file rewritten in place, without the cluster under load.
            String edited = ConfigFile.parse(Files.readString(file)).withoutCluster(id(removed)).toJson();
            CompletableFuture<SlotEvent> slotRemoved = next(connector,
                    e -> e instanceof SlotEvent.SlotRemoved r && r.clusterId().equals(id(removed)));
            Files.writeString(file, edited);
            assertThat(slotRemoved).as("the removed slot to be gone").succeedsWithin(AWAIT);

            // No request of the removed slot hangs: its stream ends, every request answered or
            // failed with "slot removed"; later ones fail at once.
            leaveLoad.block(AWAIT);
            assertThat(leaveErrors.keySet()).isSubsetOf(SlotRemovedException.class.getSimpleName());
            assertThat(leaveOk.get()).isPositive();
            assertThat(connector.slot(id(removed))).isEmpty();
            StepVerifier.create(leave.sign(leaveKey, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                    .expectError(SlotRemovedException.class).verify(AWAIT);

            // The untouched slot served throughout and never saw a failure.
            int servedDuringEdits = stayOk.get();
            editsDone.tryEmitEmpty();
            stayLoad.block(AWAIT);
            assertThat(stayErrors).as("failures on the untouched slot").isEmpty();
            assertThat(servedDuringEdits).isGreaterThan(500);
            assertThat(stayOk.get()).isLessThan(count);
            assertThat(connector.slots()).extracting(s -> s.clusterId()).containsExactly(id(untouched), id(added));
        }
    }
}
