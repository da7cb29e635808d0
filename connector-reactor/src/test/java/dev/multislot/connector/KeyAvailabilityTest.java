package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.KeyAvailabilityException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The cluster's key availability check (on by default, as in the SDK): a new key is handed out
 * only once a second HSM holds it, a key on one HSM only is refused before anything is sent, and
 * with the check off the same key is used. hsm-local's delayKeyReplication keeps keys off an HSM.
 */
class KeyAvailabilityTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final Duration VIRTUAL_REQUEST_TIMEOUT = Duration.ofMinutes(1);
    private static LocalCluster cluster;
    private static LocalCluster single;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
        single = Clusters.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
        single.close();
    }

    @AfterEach
    void replicate() {
        cluster.hsms().forEach(h -> h.faults().delayKeyReplication(false));
    }

    private static void delayEverywhere(boolean on) {
        cluster.hsms().forEach(h -> h.faults().delayKeyReplication(on));
    }

    private static ClusterConfig checkOff(LocalCluster c) {
        return Clusters.config(c).withOptions(new ClusterOptions(false, false, Optional.empty()));
    }

    private static SlotSession login(ReactorHsmConnector connector, LocalCluster c) {
        return connector.slot(Clusters.id(c)).orElseThrow().login(Clusters.USER).block(AWAIT);
    }

    @Test
    void aKeyOnTwoHsmsIsGeneratedAndUsed() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(cluster))) {
            SlotSession session = login(connector, cluster);
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "two-copies").block(AWAIT);
            List<byte[]> macs = Flux.range(0, 50).flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 8)
                    .collectList().block(AWAIT);
            assertThat(macs).hasSize(50);
        }
    }

    @Test
    void generateKeyCompletesOnlyOnceASecondHsmHoldsTheNewKey() throws Exception {
        VirtualClock time = new VirtualClock();
        try (ReactorHsmConnector connector = connect(time)) {
            SlotSession session = login(connector, cluster);
            delayEverywhere(true);
            CompletableFuture<KeyRef> generated = session.generateKey(KeyType.HMAC_SHA256, "late-copy").toFuture();
            // Half a minute passes on the connector's clock: the polls due in it find no second holder.
            time.advanceAndCheckStillNot("the key handed out", generated::isDone, Duration.ofSeconds(30));
            delayEverywhere(false);
            assertThat(time.advanceUntilDone(generated, Duration.ofSeconds(30))).isNull();
            assertThat(generated.join().label()).isEqualTo("late-copy");
        }
    }

    @Test
    void aNewKeyThatNeverReachesASecondHsmFailsTypedAfterTheRequestTimeout() throws Exception {
        VirtualClock time = new VirtualClock();
        try (ReactorHsmConnector connector = connect(time)) {
            SlotSession session = login(connector, cluster);
            delayEverywhere(true);
            Duration start = time.now();
            Throwable e = time.advanceUntilDone(session.generateKey(KeyType.HMAC_SHA256, "no-copy").toFuture(),
                    VIRTUAL_REQUEST_TIMEOUT.multipliedBy(2), Duration.ofSeconds(5));
            assertThat(time.now().minus(start)).isGreaterThanOrEqualTo(VIRTUAL_REQUEST_TIMEOUT);
            assertThat(e).isInstanceOf(KeyAvailabilityException.class)
                    .hasMessageContaining("'no-copy'").hasMessageContaining("no other of the slot's 2 HSMs");
            KeyAvailabilityException k = (KeyAvailabilityException) e;
            assertThat(k.holders()).isEqualTo(1);
            assertThat(k.hsms()).isEqualTo(2);
            assertThat(k.clusterId()).contains(Clusters.id(cluster));
        }
    }

    /** A connector to the two-HSM cluster on {@code time}; its request timeout bounds the wait for a second holder. */
    private static ReactorHsmConnector connect(VirtualClock time) {
        return time.connect(VirtualClock.patientOptions().requestTimeout(VIRTUAL_REQUEST_TIMEOUT).build(),
                Clusters.config(cluster));
    }

    @Test
    void aKeyOnOneHsmIsRefusedWithTheCheckOnAndUsedWithItOff() {
        try (ReactorHsmConnector checking = Clusters.connect(Clusters.testOptions().build(), Clusters.config(cluster));
             ReactorHsmConnector unchecked = Clusters.connect(Clusters.testOptions().build(), checkOff(cluster))) {
            SlotSession on = login(checking, cluster);
            SlotSession off = login(unchecked, cluster);
            delayEverywhere(true);
            KeyRef lonely = off.generateKey(KeyType.HMAC_SHA256, "lonely").block(AWAIT);

            StepVerifier.create(on.sign(lonely, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(KeyAvailabilityException.class)
                                .hasMessageContaining("key " + lonely.handle()).hasMessageContaining("'lonely'")
                                .hasMessageContaining("held by 1 of the slot's 2 HSMs");
                        assertThat(((KeyAvailabilityException) e).holders()).isEqualTo(1);
                    })
                    .verify(AWAIT);

            // With the check off the key is sent: each sign is answered by an HSM (the one without
            // the key says so), never refused by the client.
            List<Object> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                outcomes.add(off.sign(lonely, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)).map(Object.class::cast)
                        .onErrorResume(e -> Mono.just(e)).block(AWAIT));
            }
            assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfAny(byte[].class, KeyNotFoundException.class));
            assertThat(outcomes).anySatisfy(o -> assertThat(o).isInstanceOf(byte[].class));

            // Once the key is replicated the checking slot uses it: a refusal is not remembered.
            delayEverywhere(false);
            assertThat(on.sign(lonely, SignatureAlgorithm.HMAC_SHA256, new byte[] {2}).block(AWAIT)).isNotEmpty();
        }
    }

    @Test
    void aSlotOfOneHsmIsNeverRefused() {
        try (ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(single))) {
            SlotSession session = login(connector, single);
            KeyRef key = session.generateKey(KeyType.EC_P256, "only-copy").block(AWAIT);
            assertThat(session.sign(key, SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}).block(AWAIT)).isNotEmpty();
            assertThat(session.publicKey(key).block(AWAIT)).isNotNull();
        }
    }
}
