package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Two slots on two clusters, used at the same time: each request reaches its own cluster. */
class TwoSlotIsolationTest {

    private static LocalCluster clusterA;
    private static LocalCluster clusterB;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        clusterA = Clusters.start(2);
        clusterB = Clusters.start(2);
        connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(clusterA), Clusters.config(clusterB));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
        clusterA.close();
        clusterB.close();
    }

    @Test
    void slotsFollowConfigOrderWithStableIds() {
        List<Slot> slots = connector.slots();
        assertThat(slots).extracting(Slot::clusterId).containsExactly(Clusters.id(clusterA), Clusters.id(clusterB));
        assertThat(slots).extracting(Slot::index).containsExactly(0, 1);
        assertThat(slots.get(0).id()).isNotEqualTo(slots.get(1).id());
    }

    @Test
    void concurrentRequestsReachTheirOwnClusterOnly() {
        SlotSession a = connector.slot(Clusters.id(clusterA)).orElseThrow().login(Clusters.USER).block();
        SlotSession b = connector.slot(Clusters.id(clusterB)).orElseThrow().login(Clusters.USER).block();
        KeyRef keyA = a.generateKey(KeyType.HMAC_SHA256, "shared-label").block();
        KeyRef keyB = b.generateKey(KeyType.HMAC_SHA256, "shared-label").block();
        int keysA = clusterA.keyCount();
        int keysB = clusterB.keyCount();

        byte[] data = "same data".getBytes(StandardCharsets.UTF_8);
        AtomicInteger okA = new AtomicInteger();
        AtomicInteger okB = new AtomicInteger();
        Flux.range(0, 2000)
                .flatMap(i -> i % 2 == 0
                        ? a.sign(keyA, SignatureAlgorithm.HMAC_SHA256, data).doOnNext(s -> okA.incrementAndGet())
                        : b.sign(keyB, SignatureAlgorithm.HMAC_SHA256, data).doOnNext(s -> okB.incrementAndGet()), 128)
                .blockLast(Duration.ofSeconds(60));
        assertThat(okA).hasValue(1000);
        assertThat(okB).hasValue(1000);

        // Each cluster has its own key store: the two MACs differ, and each slot sees only its keys.
        byte[] macA = a.sign(keyA, SignatureAlgorithm.HMAC_SHA256, data).block();
        byte[] macB = b.sign(keyB, SignatureAlgorithm.HMAC_SHA256, data).block();
        assertThat(macA).isNotEqualTo(macB);
        assertThat(a.findKeys("shared-label").collectList().block()).containsExactly(keyA);
        assertThat(b.findKeys("shared-label").collectList().block()).containsExactly(keyB);
        assertThat(clusterA.keyCount()).isEqualTo(keysA);
        assertThat(clusterB.keyCount()).isEqualTo(keysB);

        // A key of slot A used on slot B: B's cluster does not know it (when the handles differ),
        // or it is B's own key; never A's.
        KeyRef onlyInA = a.generateKey(KeyType.AES_256, "only-in-a").block();
        StepVerifier.create(b.key(onlyInA.handle()))
                .expectErrorMatches(e -> e instanceof KeyNotFoundException && e.getMessage().contains(clusterB.clusterId()))
                .verify(Duration.ofSeconds(5));
    }
}
