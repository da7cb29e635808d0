package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** HSMs joining and leaving a cluster, found through a ClusterDiscovery, under load. */
class TopologyRefreshTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ClusterConfig configWith(int... hsms) {
        List<ServerConfig> servers = new java.util.ArrayList<>();
        for (int i : hsms) {
            servers.add(new ServerConfig(cluster.hsm(i).host(), cluster.hsm(i).port(), true));
        }
        return new ClusterConfig(Clusters.id(cluster), Optional.of("us-east-1"), cluster.caFile(), servers,
                Optional.empty(), Optional.empty());
    }

    private static ReactorHsmConnector connect(TestDiscovery discovery, Duration refreshInterval, ClusterConfig config) {
        ReactorHsmConnector connector = ReactorHsmConnector.builder()
                .options(Clusters.testOptions()
                        .maxPendingRequests(1000)
                        .topologyRefreshInterval(refreshInterval)
                        .drainGracePeriod(Duration.ofSeconds(5))
                        .build())
                .configSource(new TestConfigSource(List.of(config)))
                .discovery(discovery)
                .build();
        connector.connect().block(Duration.ofSeconds(20));
        return connector;
    }

    private static <E extends SlotEvent> void await(ConcurrentLinkedQueue<SlotEvent> events, Class<E> type,
                                                    java.util.function.Predicate<E> condition) {
        Await.until(type.getSimpleName(), Duration.ofSeconds(20),
                () -> events.stream().anyMatch(e -> type.isInstance(e) && condition.test(type.cast(e))));
    }

    @Test
    void hsmsJoinAndLeaveWhileServing256InFlightSignsWithoutAFailure() {
        TestDiscovery discovery = new TestDiscovery(cluster, 0, 1);
        ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        try (ReactorHsmConnector connector = connect(discovery, Duration.ofMillis(200), configWith(0, 1))) {
            Disposable sub = connector.events().subscribe(events::add);
            Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "topology").block();
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger ok = new AtomicInteger();
            Mono<Long> load = Flux.range(0, 30_000)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .doOnNext(s -> ok.incrementAndGet())
                            .doOnError(e -> failures.incrementAndGet())
                            .onErrorResume(e -> Mono.empty()), 256)
                    .count()
                    .cache();
            load.subscribe();
            Await.until("load to start", Duration.ofSeconds(20), () -> ok.get() > 1000);

            discovery.members(0, 1, 2);
            await(events, SlotEvent.HsmAdded.class, e -> e.hsm().equals(Clusters.address(cluster.hsm(2))));
            long servedBy2 = cluster.hsm(2).stats().requestsServed();
            discovery.members(1, 2);
            await(events, SlotEvent.HsmRemoved.class, e -> e.hsm().equals(Clusters.address(cluster.hsm(0))));
            assertThat(slot.hsms()).containsExactly(Clusters.address(cluster.hsm(1)), Clusters.address(cluster.hsm(2)));

            assertThat(load.block(Duration.ofSeconds(120))).isEqualTo(30_000);
            assertThat(failures).as("failed signs").hasValue(0);
            assertThat(cluster.hsm(2).stats().requestsServed()).as("the new HSM took requests").isGreaterThan(servedBy2);
            assertThat(Internals.pending(slot)).isZero();
            sub.dispose();
        }
    }

    @Test
    void failedRefreshKeepsTheLastTopologyAndIsPublishedOncePerRunOfFailures() {
        TestDiscovery discovery = new TestDiscovery(cluster, 0, 1);
        ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        try (ReactorHsmConnector connector = connect(discovery, Duration.ofMillis(50), configWith(0, 1))) {
            Disposable sub = connector.events().subscribe(events::add);
            // events() is hot: start failing only once the subscriber is there to see the first failure.
            discovery.failing(true);
            int before = discovery.calls();
            Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            Await.until("several failed refreshes", Duration.ofSeconds(20), () -> discovery.calls() >= before + 6);
            await(events, SlotEvent.TopologyRefreshFailed.class, e -> e.problem().contains("unreachable"));
            assertThat(events.stream().filter(e -> e instanceof SlotEvent.TopologyRefreshFailed).count()).isEqualTo(1);
            assertThat(slot.hsms()).hasSize(2);

            // It works again, then fails again: a second run of failures, a second event.
            discovery.failing(false);
            int calls = discovery.calls();
            Await.until("a successful refresh", Duration.ofSeconds(20), () -> discovery.calls() >= calls + 2);
            discovery.failing(true);
            await(events, SlotEvent.TopologyRefreshFailed.class, e -> events.stream()
                    .filter(x -> x instanceof SlotEvent.TopologyRefreshFailed).count() == 2);
            assertThat(slot.hsms()).hasSize(2);
            sub.dispose();
        }
    }

    @Test
    void aDiscoveryThatThrowsInsteadOfFailingDoesNotStopLaterRefreshes() {
        TestDiscovery discovery = new TestDiscovery(cluster, 0, 1);
        ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        try (ReactorHsmConnector connector = connect(discovery, Duration.ofMillis(50), configWith(0, 1))) {
            Disposable sub = connector.events().subscribe(events::add);
            discovery.throwing(true);
            int before = discovery.calls();
            // A refresh left marked as running, or a timer task that died with the exception,
            // would stop the calls after the first.
            Await.until("several refreshes with a throwing discovery", Duration.ofSeconds(20),
                    () -> discovery.calls() >= before + 4);
            await(events, SlotEvent.TopologyRefreshFailed.class, e -> e.problem().contains("discovery broken"));
            assertThat(events.stream().filter(e -> e instanceof SlotEvent.TopologyRefreshFailed).count()).isEqualTo(1);

            discovery.throwing(false);
            discovery.members(0, 1, 2);
            await(events, SlotEvent.HsmAdded.class, e -> e.hsm().equals(Clusters.address(cluster.hsm(2))));
            assertThat(connector.slot(Clusters.id(cluster)).orElseThrow().hsms()).hasSize(3);
            sub.dispose();
        }
    }

    @Test
    void whenEveryKnownHsmFailsToReconnectTheSlotIsRefreshedAtOnce() {
        // The config knows HSM 0 only; periodic refresh is off.
        TestDiscovery discovery = new TestDiscovery(cluster, 0);
        ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        try (ReactorHsmConnector connector = connect(discovery, Duration.ZERO, configWith(0))) {
            Disposable sub = connector.events().subscribe(events::add);
            Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
            assertThat(discovery.calls()).isZero();
            // HSM 0 is replaced by HSM 1 in the cluster, then HSM 0 disappears.
            discovery.members(1);
            cluster.hsm(0).stop();
            try {
                await(events, SlotEvent.HsmAdded.class, e -> e.hsm().equals(Clusters.address(cluster.hsm(1))));
                assertThat(discovery.calls()).isPositive();
                Await.until("the new HSM to be usable", Duration.ofSeconds(10), () -> slot.health().isAvailable());
                assertThat(session.random(8).block(Duration.ofSeconds(10))).hasSize(8);
            } finally {
                cluster.hsm(0).start();
            }
            sub.dispose();
        }
    }
}
