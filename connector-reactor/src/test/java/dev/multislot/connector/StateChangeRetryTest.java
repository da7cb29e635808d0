package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.connector.internal.slot.HsmNode;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/**
 * State changes are repeated only when they provably never left the client: a key generation
 * still waiting for room on its connection when that connection dropped moves to another HSM and
 * is done exactly once; one already written is reported as an unknown outcome.
 */
class StateChangeRetryTest {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            // One request on the wire per connection, one connection per HSM: the next one waits.
            .cluster(spec -> spec.maxInFlightPerConnection(1))
            .options(o -> o.connectionsPerHsm(1)
                    .requestTimeout(Duration.ofSeconds(20))
                    .attemptTimeout(Duration.ofSeconds(20))
                    .keepaliveInterval(Duration.ofMinutes(5))
                    .breaker(b -> b.slidingWindowSize(1000).minimumNumberOfCalls(1000)))
            // The key availability check would ask the stalled HSM for a second copy of the key:
            // this test is about where a generation goes, so it runs without it.
            .clusterConfig(config -> config.withOptions(ClusterOptions.DEFAULTS.withKeyAvailabilityCheck(false)))
            .closeGracePeriod(Duration.ZERO)
            .build();

    @Test
    void generateKeyThatNeverLeftTheClientMovesToAnotherHsmAndIsDoneOnce(LocalCluster cluster, Slot slot,
            SlotSession session) {
        Internals.awaitLoginEverywhere(slot);
        KeyRef mac = session.generateKey(KeyType.HMAC_SHA256, "occupy").block();
        Await.until("both connections to carry the login", Duration.ofSeconds(10),
                () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> n.readyConnections().size() == 1));
        cluster.hsms().forEach(h -> h.faults().stall(true));

        // Two signs fill both wires (the balancer sends the second to the less loaded HSM).
        Disposable signA = session.sign(mac, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).subscribe(v -> { }, e -> { });
        Await.until("first sign on the wire", Duration.ofSeconds(5), () -> Internals.inFlight(slot) == 1);
        HsmNode nodeOfA = ((SlotImpl) slot).nodes().stream().filter(n -> n.inFlight() == 1).findFirst().orElseThrow();
        Disposable signB = session.sign(mac, SignatureAlgorithm.HMAC_SHA256, new byte[] {2}).subscribe(v -> { }, e -> { });
        Await.until("second sign on the wire", Duration.ofSeconds(5),
                () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> n.inFlight() == 1));
        int keysBefore = cluster.keyCount();

        // The generation waits on one HSM's connection, behind that HSM's sign.
        CompletableFuture<KeyRef> generated = session.generateKey(KeyType.AES_256, "moved").toFuture();
        Await.until("the generation to wait on a connection", Duration.ofSeconds(5),
                () -> ((SlotImpl) slot).nodes().stream().anyMatch(n -> n.inFlight() == 2));
        HsmNode waitingOn = ((SlotImpl) slot).nodes().stream().filter(n -> n.inFlight() == 2).findFirst().orElseThrow();
        LocalHsm waitingHsm = cluster.hsms().stream().filter(h -> Clusters.address(h).equals(waitingOn.address()))
                .findFirst().orElseThrow();
        LocalHsm otherHsm = cluster.hsms().stream().filter(h -> h != waitingHsm).findFirst().orElseThrow();

        // Free the other HSM (its sign is cancelled, which frees its wire), then drop the connection
        // the generation waits on: it was never written there.
        otherHsm.faults().stall(false);
        (nodeOfA == waitingOn ? signB : signA).dispose();
        waitingHsm.faults().dropConnections();

        KeyRef key = generated.join();
        assertThat(key.label()).isEqualTo("moved");
        assertThat(cluster.keyCount()).as("generated exactly once").isEqualTo(keysBefore + 1);
        waitingHsm.faults().stall(false);
        // Its reconnection may have sent HELLO while it was stalled, and a stalled HSM never answers: drop that
        // connection too, so that the next test does not wait out the connect timeout for it.
        waitingHsm.faults().dropConnections();
    }

    @Test
    void generateKeyWrittenBeforeItsConnectionDroppedIsReportedAsOutcomeUnknown(LocalCluster cluster, Slot slot,
            SlotSession session) {
        Await.until("both connections to carry the login", Duration.ofSeconds(10),
                () -> ((SlotImpl) slot).nodes().stream().allMatch(n -> n.readyConnections().size() == 1
                        && n.readyConnections().get(0).loginGeneration() > 0));
        cluster.hsms().forEach(h -> h.faults().stall(true));
        try {
            CompletableFuture<KeyRef> generated = session.generateKey(KeyType.AES_256, "maybe").toFuture();
            // Counted by its HSM is not yet written: the hand-over to the connection's event loop
            // may still be queued (on a busy machine, long enough for the drop below to find the
            // request unsent, which then rightly moves to the other HSM). A table place is taken
            // when it is written.
            Await.until("the generation on the wire", Duration.ofSeconds(5),
                    () -> Internals.inFlight(slot) == 1 && Internals.occupiedPlaces(slot) == 1);
            HsmNode node = ((SlotImpl) slot).nodes().stream().filter(n -> n.inFlight() == 1).findFirst().orElseThrow();
            cluster.hsms().stream().filter(h -> Clusters.address(h).equals(node.address())).findFirst().orElseThrow()
                    .faults().dropConnections();
            assertThat(generated).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(HsmOutcomeUnknownException.class)
                    .withMessageContaining("GENERATE_KEY");
        } finally {
            cluster.hsms().forEach(h -> h.faults().stall(false));
        }
    }
}
