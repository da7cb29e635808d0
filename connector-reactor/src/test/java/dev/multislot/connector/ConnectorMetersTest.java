package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.KeyAvailabilityException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.testsupport.Await;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The connector's meters on a user's registry: names, tags, counts, gauges, and their removal. */
class ConnectorMetersTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ReactorHsmConnector connect(MeterRegistry registry, TestConfigSource source,
                                               HsmConnectorOptions options, MetricsOptions metrics) {
        ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source)
                .meterRegistry(registry).metricsOptions(metrics).build();
        connector.connect().block(Duration.ofSeconds(20));
        // On a busy machine the first connections may take longer than the connect step waits.
        int perHsm = options.slotDefaults().connectionsPerHsm();
        Await.until("every connection to every HSM to be ready", Duration.ofSeconds(60), () -> connector.slots().stream()
                .allMatch(s -> ((SlotImpl) s).nodes().stream().allMatch(n -> n.readyConnections().size() == perHsm)));
        return connector;
    }

    private static ClusterConfig withServers(LocalCluster c, List<ServerConfig> servers) {
        return new ClusterConfig(Clusters.id(c), Optional.of("us-east-1"), c.caFile(), servers, Optional.empty(), Optional.empty());
    }

    private static String slotTag(LocalCluster c) {
        return c.clusterId();
    }

    private static long requests(MeterRegistry registry, LocalCluster c, String operation, String outcome) {
        Timer t = registry.find("multislot.requests").tags("slot", slotTag(c), "operation", operation, "outcome", outcome).timer();
        return t == null ? 0 : t.count();
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void requestsAreTimedBySlotOperationAndOutcomeAndEachAttemptByHsm() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TestConfigSource source = new TestConfigSource(List.of(Clusters.config(cluster)));
        try (ReactorHsmConnector connector = connect(registry, source, Clusters.testOptions().build(), MetricsOptions.defaults())) {
            Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "metered").block();
            Flux.range(0, 50).flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 8)
                    .blockLast(Duration.ofSeconds(30));
            session.random(16).block();
            session.deleteKey(key).block();
            // An answer with an error status: the HSM refuses a tampered ciphertext.
            KeyRef aes = session.generateKey(KeyType.AES_256, "metered-aes").block();
            dev.multislot.api.AeadCiphertext ct = session.encrypt(aes, dev.multislot.api.CipherAlgorithm.AES_GCM,
                    Clusters.bytes(5), new byte[0]).block();
            byte[] tampered = ct.ciphertext().clone();
            tampered[0] ^= 1;
            StepVerifier.create(session.decrypt(aes, dev.multislot.api.CipherAlgorithm.AES_GCM,
                            new dev.multislot.api.AeadCiphertext(ct.iv(), tampered), new byte[0]))
                    .expectError(dev.multislot.api.errors.DataInvalidException.class).verify(Duration.ofSeconds(5));

            assertThat(requests(registry, cluster, "login", "success")).isEqualTo(1);
            assertThat(requests(registry, cluster, "generate_key", "success")).isEqualTo(2);
            assertThat(requests(registry, cluster, "sign", "success")).isEqualTo(50);
            assertThat(requests(registry, cluster, "random", "success")).isEqualTo(1);
            assertThat(requests(registry, cluster, "delete_key", "success")).isEqualTo(1);
            assertThat(requests(registry, cluster, "encrypt", "success")).isEqualTo(1);
            assertThat(requests(registry, cluster, "decrypt", "other")).isEqualTo(1);

            List<String> hsmTags = cluster.hsms().stream().map(h -> Clusters.address(h).toString()).toList();
            long attempts = 0;
            for (Meter m : registry.find("multislot.hsm.requests").tag("slot", slotTag(cluster)).meters()) {
                assertThat(m.getId().getTag("hsm")).isIn(hsmTags);
                assertThat(m.getId().getTag("outcome")).isIn("success", "other");
                attempts += ((Timer) m).count();
            }
            assertThat(attempts).as("one attempt per request after login (no failures)").isEqualTo(56);

            assertThat(gauge(registry, "multislot.slots")).isEqualTo(1);
            assertThat(gauge(registry, "multislot.slot.pending", "slot", slotTag(cluster))).isZero();
            int perHsm = connector.options().slotDefaults().connectionsPerHsm();
            for (String hsm : hsmTags) {
                assertThat(gauge(registry, "multislot.hsm.in_flight", "slot", slotTag(cluster), "hsm", hsm)).isZero();
                assertThat(gauge(registry, "multislot.hsm.connections", "slot", slotTag(cluster), "hsm", hsm, "state", "ready"))
                        .isEqualTo(perHsm);
                assertThat(gauge(registry, "multislot.hsm.connections", "slot", slotTag(cluster), "hsm", hsm, "state", "opening"))
                        .isZero();
            }
            assertThat(registry.get("multislot.events.dropped").functionCounter().count()).isZero();
            assertThat(registry.get("multislot.config.reloads").tag("outcome", "applied").counter().count()).isEqualTo(1);
            assertThat(registry.get("multislot.config.reloads").tag("outcome", "rejected").counter().count()).isZero();
            assertThat(registry.get("multislot.retries").tags("slot", slotTag(cluster), "reason", "failover").counter().count())
                    .isZero();
            assertThat(registry.find("multislot.requests").timers()).allSatisfy(t ->
                    assertThat(t.takeSnapshot().percentileValues()).as("no percentiles by default").isEmpty());

            source.reject("broken on purpose");
            Await.until("the rejected reload to be counted", Duration.ofSeconds(10), () ->
                    registry.get("multislot.config.reloads").tag("outcome", "rejected").counter().count() == 1);
        }
        assertThat(registry.getMeters()).as("every meter is removed on close")
                .noneMatch(m -> m.getId().getName().startsWith("multislot."));
    }

    @Test
    void busyAnswersAndFailoversAreCountedAsRetries() {
        LocalCluster busy = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).maxConcurrentOperations(1).build());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (busy; ReactorHsmConnector connector = connect(registry, new TestConfigSource(List.of(Clusters.config(busy))),
                Clusters.testOptions().retryMode(RetryMode.STANDARD).maxAttempts(100)
                        .retryBackoff(Duration.ofMillis(2)).retryBackoffMax(Duration.ofMillis(50))
                        .breaker(b -> b.slidingWindowSize(100_000).minimumNumberOfCalls(100_000)).build(),
                MetricsOptions.defaults())) {
            SlotSession session = connector.slot(Clusters.id(busy)).orElseThrow().login(Clusters.USER).block();
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "busy").block();
            Flux.range(0, 200).flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 32)
                    .blockLast(Duration.ofSeconds(60));
            double retries = registry.get("multislot.retries").tags("slot", slotTag(busy), "reason", "busy").counter().count();
            long throttled = registry.get("multislot.hsm.requests").tags("slot", slotTag(busy), "outcome", "throttled")
                    .timer().count();
            assertThat(retries).as("busy retries").isPositive().isEqualTo((double) throttled);
            assertThat(requests(registry, busy, "sign", "success")).isEqualTo(200);
        }
    }

    @Test
    void aCrashedHsmsRequestsAreCountedAsFailovers() throws Exception {
        LocalCluster crash = Clusters.start(2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (crash; ReactorHsmConnector connector = connect(registry, new TestConfigSource(List.of(Clusters.config(crash))),
                Clusters.testOptions().maxPendingRequests(1_000).requestTimeout(Duration.ofSeconds(20)).build(),
                MetricsOptions.defaults())) {
            Slot slot = connector.slot(Clusters.id(crash)).orElseThrow();
            SlotSession session = Internals.loginEverywhere(slot);
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "crash").block();
            AtomicInteger done = new AtomicInteger();
            int total = 4_000;
            Mono<Long> run = Flux.range(0, total)
                    .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i))
                            .doOnNext(s -> done.incrementAndGet()), 128)
                    .count().cache();
            run.subscribe();
            Await.until("a quarter of the signs", Duration.ofSeconds(60), () -> done.get() >= total / 4);
            crash.hsm(0).stop();
            assertThat(run.block(Duration.ofSeconds(120))).isEqualTo(total);
            assertThat(requests(registry, crash, "sign", "success")).isEqualTo(total);
            String victim = Clusters.address(crash.hsm(0)).toString();
            Await.until("the crashed HSM's ready connections gauge to read 0", Duration.ofSeconds(10), () -> gauge(registry,
                    "multislot.hsm.connections", "slot", slotTag(crash), "hsm", victim, "state", "ready") == 0);
            // Requests in flight on the crashed HSM moved to the other one (none may have been, if the
            // crash fell between two loop passes: then the failed attempts show it instead).
            double failovers = registry.get("multislot.retries").tags("slot", slotTag(crash), "reason", "failover").counter().count();
            Timer failed = registry.find("multislot.hsm.requests").tags("hsm", victim, "outcome", "unavailable").timer();
            assertThat(failovers).isEqualTo(failed == null ? 0.0 : (double) failed.count());
        }
    }

    @Test
    void metersOfARemovedHsmAndOfARemovedSlotAreRemoved() {
        LocalCluster other = Clusters.start(1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TestConfigSource source = new TestConfigSource(List.of(Clusters.config(cluster), Clusters.config(other)));
        try (other; ReactorHsmConnector connector = connect(registry, source, Clusters.testOptions().build(),
                MetricsOptions.defaults())) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            session.random(8).repeat(9).blockLast(Duration.ofSeconds(10));
            SlotSession otherSession = connector.slot(Clusters.id(other)).orElseThrow().login(Clusters.USER).block();
            otherSession.random(8).block();
            String leaving = Clusters.address(cluster.hsm(1)).toString();
            assertThat(registry.find("multislot.hsm.in_flight").tag("hsm", leaving).gauges()).hasSize(1);
            assertThat(gauge(registry, "multislot.slots")).isEqualTo(2);

            HsmAddress kept = Clusters.address(cluster.hsm(0));
            List<ServerConfig> one = List.of(new ServerConfig(kept.host(), kept.port(), true));
            source.set(List.of(withServers(cluster, one), Clusters.config(other)));
            Await.until("the left HSM's meters to go", Duration.ofSeconds(20),
                    () -> registry.find("multislot.hsm.in_flight").tag("hsm", leaving).gauges().isEmpty());
            assertThat(registry.getMeters()).noneMatch(m -> leaving.equals(m.getId().getTag("hsm")));
            assertThat(registry.find("multislot.hsm.in_flight").tag("hsm", kept.toString()).gauges()).hasSize(1);

            source.set(List.of(withServers(cluster, one)));
            Await.until("the removed slot's meters to go", Duration.ofSeconds(20),
                    () -> registry.getMeters().stream().noneMatch(m -> other.clusterId().equals(m.getId().getTag("slot"))));
            assertThat(gauge(registry, "multislot.slots")).isEqualTo(1);
            assertThat(requests(registry, cluster, "random", "success")).isEqualTo(10);
        }
    }

    @Test
    void perHsmTimersCanBeTurnedOffAndHistogramsOn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // What each timer asked the registry for (registries differ in what they publish of it).
        Map<String, DistributionStatisticConfig> asked = new ConcurrentHashMap<>();
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                asked.put(id.getName() + id.getTags(), config);
                return config;
            }
        });
        MetricsOptions options = MetricsOptions.builder().hsmTimers(false).percentileHistogram(true).percentiles(0.99).build();
        try (ReactorHsmConnector connector = connect(registry, new TestConfigSource(List.of(Clusters.config(cluster))),
                Clusters.testOptions().build(), options)) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            session.random(8).repeat(4).blockLast(Duration.ofSeconds(10));
            assertThat(registry.find("multislot.hsm.requests").meters()).isEmpty();
            Timer random = registry.get("multislot.requests").tags("operation", "random", "outcome", "success").timer();
            assertThat(random.count()).isEqualTo(5);
            assertThat(asked.get(random.getId().getName() + random.getId().getTags()).isPercentileHistogram()).isTrue();
            assertThat(random.takeSnapshot().percentileValues()).hasSize(1);
        }
    }

    @Test
    void reactorNettysConnectionMetersAreOptInAndOnTheGivenRegistry() {
        SimpleMeterRegistry off = new SimpleMeterRegistry();
        try (ReactorHsmConnector connector = connect(off, new TestConfigSource(List.of(Clusters.config(cluster))),
                Clusters.testOptions().build(), MetricsOptions.defaults())) {
            connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block().random(8).block();
            assertThat(off.getMeters()).noneMatch(m -> m.getId().getName().startsWith("reactor.netty"));
        }
        SimpleMeterRegistry on = new SimpleMeterRegistry();
        try (ReactorHsmConnector connector = connect(on, new TestConfigSource(List.of(Clusters.config(cluster))),
                Clusters.testOptions().build(), MetricsOptions.builder().reactorNettyMetrics(true).build())) {
            connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block().random(8).block();
            List<String> hsmTags = cluster.hsms().stream().map(h -> Clusters.address(h).toString()).toList();
            assertThat(on.find("reactor.netty.tcp.client.connect.time").tag("status", "SUCCESS").timers())
                    .isNotEmpty().allSatisfy(t -> assertThat(t.getId().getTag("remote.address")).isIn(hsmTags));
            assertThat(on.find("reactor.netty.tcp.client.tls.handshake.time").timers()).isNotEmpty();
            assertThat(on.find("reactor.netty.tcp.client.data.sent").summaries()).isNotEmpty();
        }
        assertThat(on.getMeters()).as("removed on close").noneMatch(m -> m.getId().getName().startsWith("reactor.netty"));
    }

    @Test
    void optionsRejectAPercentileOutOfRange() {
        Consumer<Double> bad = p -> org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> MetricsOptions.builder().percentiles(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(p));
        bad.accept(1.0);
        bad.accept(0.0);
        bad.accept(-0.5);
    }
}
