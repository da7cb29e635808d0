package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @MultislotTest} injects one started cluster, connector, slot and logged-in session into every method. */
@MultislotTest(hsms = 2)
class MultislotExtensionTest {

    private static LocalCluster fromBeforeAll;

    @BeforeAll
    static void lifecycleMethodsAreInjectedToo(LocalCluster cluster) {
        fromBeforeAll = cluster;
    }

    @Test
    void theSessionIsLoggedInToTheClustersSlot(SlotSession session, Slot slot, LocalCluster cluster) {
        assertThat(cluster.hsms()).hasSize(2);
        assertThat(slot.clusterId()).isEqualTo(ClusterId.of(cluster.clusterId()));
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "testkit").block(Duration.ofSeconds(10));
        byte[] mac = session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1, 2, 3}).block(Duration.ofSeconds(10));
        assertThat(mac).hasSize(32);
        assertThat(cluster.keyCount()).as("the key is in this cluster's store").isPositive();
    }

    @Test
    void everyMethodGetsTheSameObjectsForTheClass(HsmConnector api, ReactorHsmConnector connector, Slot slot,
            LocalCluster cluster) {
        assertThat(api).isSameAs(connector);
        assertThat(connector.slots()).containsExactly(slot);
        assertThat(cluster).isSameAs(fromBeforeAll);
    }

    @Test
    void theClusterIsThereForFaultSwitches(SlotSession session, LocalCluster cluster) {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "faults").block(Duration.ofSeconds(10));
        long servedBefore = cluster.hsm(1).stats().requestsServed();
        cluster.hsm(0).stop();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {(byte) i})
                        .block(Duration.ofSeconds(10))).hasSize(32);
            }
        } finally {
            cluster.hsm(0).start();
        }
        assertThat(cluster.hsm(1).stats().requestsServed() - servedBefore).as("the other HSM served them").isGreaterThanOrEqualTo(20);
    }
}
