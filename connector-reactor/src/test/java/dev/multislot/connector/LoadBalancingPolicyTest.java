package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Policies end to end: their hooks, the zones they see, and what happens when one misbehaves. */
class LoadBalancingPolicyTest {

    /** Writes down every hook call, and picks like the default. */
    private static final class Recording implements LoadBalancingPolicy {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void init(ClusterId slot, List<? extends HsmCandidate> hsms) {
            calls.add("init " + slot + " " + hsms.size());
        }

        @Override
        public void onAdd(HsmCandidate hsm) {
            calls.add("add " + hsm.address());
        }

        @Override
        public void onUp(HsmCandidate hsm) {
            calls.add("up " + hsm.address());
        }

        @Override
        public void onDown(HsmCandidate hsm) {
            calls.add("down " + hsm.address());
        }

        @Override
        public void onRemove(HsmCandidate hsm) {
            calls.add("remove " + hsm.address());
        }

        @Override
        public int pick(List<? extends HsmCandidate> candidates) {
            return LoadBalancingPolicy.powerOfTwoChoices().pick(candidates);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static ClusterConfig withZones(LocalCluster cluster, String... zones) {
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < cluster.hsms().size(); i++) {
            LocalHsm h = cluster.hsm(i);
            servers.add(new ServerConfig(h.host(), h.port(), true, Optional.empty(), Optional.of(zones[i])));
        }
        return Clusters.config(cluster).withServers(servers);
    }

    @Test
    void theHooksFollowTheSlotsHsmsFromInitToClose() {
        Recording policy = new Recording();
        try (LocalCluster cluster = Clusters.start(2)) {
            ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().loadBalancingPolicy(policy).build(),
                    Clusters.config(cluster));
            HsmAddress first = Clusters.address(cluster.hsm(0));
            HsmAddress second = Clusters.address(cluster.hsm(1));
            Await.until("both HSMs up for the policy", Duration.ofSeconds(20),
                    () -> policy.calls.contains("up " + first) && policy.calls.contains("up " + second));
            assertThat(policy.calls.get(0)).isEqualTo("init " + Clusters.id(cluster) + " 2");

            cluster.hsm(0).stop();
            Await.until("the stopped HSM down for the policy", Duration.ofSeconds(20),
                    () -> policy.calls.contains("down " + first));
            connector.close(Duration.ZERO).block(Duration.ofSeconds(10));

            assertThat(policy.calls).contains("remove " + first, "remove " + second);
            assertThat(policy.calls.get(policy.calls.size() - 1)).isEqualTo("close");
            assertThat(policy.calls.indexOf("down " + first)).isGreaterThan(policy.calls.indexOf("up " + first));
        }
    }

    @Test
    void theZoneAwarePolicyKeepsRequestsInTheLocalZoneUntilItHasNoHsm() {
        try (LocalCluster cluster = Clusters.start(2);
             ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions()
                     .loadBalancingPolicy(LoadBalancingPolicy.zoneAware("zone-b")).build(),
                     withZones(cluster, "zone-a", "zone-b"))) {
            SlotSession session = Internals.loginEverywhere(connector.slots().get(0));
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "zones").block(Duration.ofSeconds(10));
            long servedByA = cluster.hsm(0).stats().requestsServed();
            long servedByB = cluster.hsm(1).stats().requestsServed();
            for (int i = 0; i < 50; i++) {
                session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)).block(Duration.ofSeconds(10));
            }
            assertThat(cluster.hsm(0).stats().requestsServed() - servedByA).as("served in zone-a").isZero();
            assertThat(cluster.hsm(1).stats().requestsServed() - servedByB).as("served in zone-b").isEqualTo(50);

            cluster.hsm(1).stop();
            Await.until("zone-b's HSM to be down", Duration.ofSeconds(20),
                    () -> connector.slots().get(0).health().hsms().stream().filter(h -> h.connected()).count() == 1);
            assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(99)).block(Duration.ofSeconds(10)))
                    .as("zone-a takes over once zone-b has no HSM").isNotEmpty();
        }
    }

    @Test
    void aPolicyChoosingOutsideTheCandidatesFailsTheRequestNamingItself() {
        LoadBalancingPolicy broken = new LoadBalancingPolicy() {
            @Override
            public int pick(List<? extends HsmCandidate> candidates) {
                return candidates.size() + 5;
            }

            @Override
            public String toString() {
                return "BrokenPolicy";
            }
        };
        try (LocalCluster cluster = Clusters.start(2);
             ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().loadBalancingPolicy(broken).build(),
                     Clusters.config(cluster))) {
            SlotSession session = Internals.loginEverywhere(connector.slots().get(0));
            StepVerifier.create(session.random(16))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("BrokenPolicy")
                            .hasMessageContaining("chose position 7 among 2 HSMs"))
                    .verify(Duration.ofSeconds(10));
            assertThat(Internals.pending(connector.slots().get(0))).isZero();
        }
    }
}
