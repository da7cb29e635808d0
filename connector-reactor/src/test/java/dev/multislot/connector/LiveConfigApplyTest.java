package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotId;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Config changes applied to a running connector, under load. */
class LiveConfigApplyTest {

    private static LocalCluster clusterA;
    private static LocalCluster clusterB;
    private static LocalCluster clusterC;

    @BeforeAll
    static void start() {
        clusterA = Clusters.start(2);
        clusterB = Clusters.start(2);
        clusterC = Clusters.start(2);
    }

    @AfterAll
    static void stop() {
        clusterA.close();
        clusterB.close();
        clusterC.close();
    }

    /** Collects events and waits for the first that matches. */
    private static final class Events implements AutoCloseable {
        private final ConcurrentLinkedQueue<SlotEvent> seen = new ConcurrentLinkedQueue<>();
        private final Disposable subscription;

        Events(ReactorHsmConnector connector) {
            subscription = connector.events().subscribe(seen::add);
        }

        @SuppressWarnings("unchecked")
        <E extends SlotEvent> E await(Class<E> type, Predicate<E> condition) {
            Await.until(type.getSimpleName(), Duration.ofSeconds(20),
                    () -> seen.stream().anyMatch(e -> type.isInstance(e) && condition.test((E) e)));
            return (E) seen.stream().filter(e -> type.isInstance(e) && condition.test((E) e)).findFirst().orElseThrow();
        }

        long count(Class<? extends SlotEvent> type) {
            return seen.stream().filter(type::isInstance).count();
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }

    /** A stream of signs at {@code inFlight}, counting how each ended, until stopped. */
    private static final class Load {
        final AtomicInteger ok = new AtomicInteger();
        final Map<Class<?>, AtomicInteger> errors = new ConcurrentHashMap<>();
        final CountDownLatch started = new CountDownLatch(500);
        private final Mono<Long> run;
        private volatile boolean stop;

        Load(SlotSession session, KeyRef key, int inFlight) {
            run = Flux.range(0, Integer.MAX_VALUE)
                    .takeWhile(i -> !stop)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .doOnNext(s -> {
                                ok.incrementAndGet();
                                started.countDown();
                            })
                            .onErrorResume(e -> {
                                errors.computeIfAbsent(e.getClass(), c -> new AtomicInteger()).incrementAndGet();
                                if (e instanceof SlotRemovedException) {
                                    // Refusals are immediate: issuing more would only spin.
                                    stop = true;
                                }
                                return Mono.empty();
                            }), inFlight)
                    .count()
                    .cache();
            run.subscribe();
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        }

        /** Stops issuing and waits until every request issued has ended. */
        void stopAndAwait() {
            stop = true;
            run.block(Duration.ofSeconds(60));
        }
    }

    @Test
    void addedSlotServesRemovedSlotDrainsAndUntouchedSlotNeverFails() throws Exception {
        TestConfigSource source = new TestConfigSource(List.of(Clusters.config(clusterA), Clusters.config(clusterB)));
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().maxPendingRequests(1000).build(), source);
             Events events = new Events(connector)) {
            Slot slotA = connector.slot(Clusters.id(clusterA)).orElseThrow();
            Slot slotB = connector.slot(Clusters.id(clusterB)).orElseThrow();
            SlotSession a = slotA.login(Clusters.USER).block(Duration.ofSeconds(10));
            SlotSession b = slotB.login(Clusters.USER).block(Duration.ofSeconds(10));
            Load loadA = new Load(a, a.generateKey(KeyType.HMAC_SHA256, "a").block(), 128);
            Load loadB = new Load(b, b.generateKey(KeyType.HMAC_SHA256, "b").block(), 128);
            loadA.awaitStarted();
            loadB.awaitStarted();

            source.set(List.of(Clusters.config(clusterA), Clusters.config(clusterC)));

            SlotEvent.SlotDraining draining = events.await(SlotEvent.SlotDraining.class, e -> true);
            assertThat(draining.slotId()).isEqualTo(slotB.id());
            SlotEvent.SlotAdded added = events.await(SlotEvent.SlotAdded.class, e -> e.clusterId().equals(Clusters.id(clusterC)));
            assertThat(added.index()).isEqualTo(1);
            SlotEvent.SlotRemoved removed = events.await(SlotEvent.SlotRemoved.class, e -> true);
            assertThat(removed.slotId()).isEqualTo(slotB.id());

            // The new slot works; the removed one is gone for new requests.
            Slot slotC = connector.slot(Clusters.id(clusterC)).orElseThrow();
            SlotSession c = slotC.login(Clusters.USER).block(Duration.ofSeconds(10));
            assertThat(c.random(8).block(Duration.ofSeconds(5))).hasSize(8);
            assertThat(connector.slots()).extracting(Slot::clusterId).containsExactly(Clusters.id(clusterA), Clusters.id(clusterC));
            assertThat(connector.slot(Clusters.id(clusterB))).isEmpty();
            StepVerifier.create(connector.requireSlot(Clusters.id(clusterB)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SlotNotFoundException.class)
                            .hasMessageContaining(clusterC.clusterId()))
                    .verify(Duration.ofSeconds(10));
            StepVerifier.create(b.random(8)).expectError(SlotRemovedException.class).verify(Duration.ofSeconds(5));

            loadB.stopAndAwait();
            loadA.stopAndAwait();
            assertThat(loadA.errors).as("errors on the untouched slot").isEmpty();
            assertThat(loadB.errors.keySet()).as("errors on the removed slot").allMatch(t -> t == SlotRemovedException.class);
            assertThat(loadB.ok.get()).isPositive();
            assertThat(Internals.pending(slotA)).isZero();
            assertThat(Internals.pending(slotB)).isZero();
        }
    }

    @Test
    void changedClusterReconnectsWithoutFailingRequestsThatAreSafeToRepeat(@TempDir Path dir) throws Exception {
        ClusterConfig original = Clusters.config(clusterA);
        TestConfigSource source = new TestConfigSource(List.of(original));
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().maxPendingRequests(1000).build(), source);
             Events events = new Events(connector)) {
            Slot slot = connector.slot(Clusters.id(clusterA)).orElseThrow();
            SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
            Load load = new Load(session, session.generateKey(KeyType.HMAC_SHA256, "changed").block(), 256);
            load.awaitStarted();

            // 1. One server disabled: that HSM is drained and leaves.
            List<ServerConfig> servers = Clusters.servers(clusterA);
            ClusterConfig oneDisabled = new ClusterConfig(original.clusterId(), original.region(), original.hsmCaFile(),
                    List.of(servers.get(0), new ServerConfig(servers.get(1).hostname(), servers.get(1).port(), false)),
                    Optional.empty(), Optional.empty());
            source.set(List.of(oneDisabled));
            SlotEvent.HsmRemoved left = events.await(SlotEvent.HsmRemoved.class, e -> true);
            assertThat(left.hsm()).isEqualTo(Clusters.address(clusterA.hsm(1)));
            events.await(SlotEvent.SlotChanged.class, e -> e.hsms().size() == 1);
            assertThat(slot.hsms()).containsExactly(Clusters.address(clusterA.hsm(0)));

            // 2. New TLS files (same CA, new path): every connection is replaced, new ones first.
            Path caCopy = Files.copy(clusterA.caFile(), dir.resolve("ca-copy.crt"));
            ClusterConfig newCa = new ClusterConfig(original.clusterId(), original.region(), caCopy, servers,
                    Optional.empty(), Optional.empty());
            source.set(List.of(newCa));
            events.await(SlotEvent.HsmAdded.class, e -> e.hsm().equals(Clusters.address(clusterA.hsm(1))));
            events.await(SlotEvent.SlotChanged.class, e -> e.hsms().size() == 2);

            // Let the drained connections close while the load runs, then stop.
            Await.until("old connections to drain", Duration.ofSeconds(10),
                    () -> Internals.readyConnections(slot) == 4);
            load.stopAndAwait();
            assertThat(load.errors).as("errors while the cluster changed").isEmpty();
            assertThat(load.ok.get()).isGreaterThan(500);
            assertThat(connector.slot(Clusters.id(clusterA))).containsSame(slot);
        }
    }

    @Test
    void rejectedConfigIsPublishedAndChangesNothing() {
        TestConfigSource source = new TestConfigSource(List.of(Clusters.config(clusterA)));
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), source);
             Events events = new Events(connector)) {
            List<Slot> before = connector.slots();
            source.reject("/etc/cloudhsm-pkcs11.cfg: $.clusters[0].cluster.hsm_ca_file: missing");
            SlotEvent.ConfigRejected rejected = events.await(SlotEvent.ConfigRejected.class, e -> true);
            assertThat(rejected.problem()).contains("hsm_ca_file");
            assertThat(connector.slots()).isEqualTo(before);
            assertThat(events.count(SlotEvent.SlotRemoved.class) + events.count(SlotEvent.SlotDraining.class)).isZero();
        }
    }

    @Test
    void slotIdsAreStableAndNeverReusedWhileIndicesFollowConfigOrder() {
        ClusterConfig a = Clusters.config(clusterA);
        ClusterConfig b = Clusters.config(clusterB);
        ClusterConfig c = Clusters.config(clusterC);
        TestConfigSource source = new TestConfigSource(List.of(a, b));
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), source);
             Events events = new Events(connector)) {
            SlotId idA = connector.slot(a.clusterId()).orElseThrow().id();
            SlotId idB = connector.slot(b.clusterId()).orElseThrow().id();

            source.set(List.of(b, a));
            Await.until("reorder", Duration.ofSeconds(10), () -> connector.slots().get(0).clusterId().equals(b.clusterId()));
            assertThat(connector.slots()).extracting(Slot::index).containsExactly(0, 1);
            assertThat(connector.slot(a.clusterId()).orElseThrow().id()).isEqualTo(idA);
            assertThat(connector.slot(a.clusterId()).orElseThrow().index()).isEqualTo(1);

            source.set(List.of(a));
            events.await(SlotEvent.SlotRemoved.class, e -> e.clusterId().equals(b.clusterId()));
            source.set(List.of(a, c));
            events.await(SlotEvent.SlotAdded.class, e -> e.clusterId().equals(c.clusterId()));
            SlotId idC = connector.slot(c.clusterId()).orElseThrow().id();
            assertThat(idC).isNotIn(idA, idB);

            // A cluster that comes back gets its own id again, never another cluster's.
            source.set(List.of(a, c, b));
            events.await(SlotEvent.SlotAdded.class, e -> e.clusterId().equals(b.clusterId()) && e.index() == 2);
            assertThat(connector.slot(b.clusterId()).orElseThrow().id()).isEqualTo(idB);
            assertThat(connector.slot(ClusterId.of("cluster-unknown"))).isEmpty();
        }
    }
}
