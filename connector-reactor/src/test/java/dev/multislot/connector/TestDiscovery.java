package dev.multislot.connector;

import dev.multislot.api.errors.DiscoveryEndpointException;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.api.spi.HsmState;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** A discovery answering from a LocalCluster: the HSMs the test says are members, or a failure. */
final class TestDiscovery implements ClusterDiscovery {

    private final LocalCluster cluster;
    private final Set<Integer> members = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;
    private volatile boolean throwing;

    TestDiscovery(LocalCluster cluster, Integer... members) {
        this.cluster = cluster;
        this.members.addAll(List.of(members));
    }

    void members(Integer... indexes) {
        members.clear();
        members.addAll(List.of(indexes));
    }

    void failing(boolean failing) {
        this.failing = failing;
    }

    /** Throws from {@link #discover} itself instead of returning a failed Mono: a badly behaved SPI. */
    void throwing(boolean throwing) {
        this.throwing = throwing;
    }

    int calls() {
        return calls.get();
    }

    @Override
    public Mono<DiscoveredCluster> discover(DiscoveryRequest request) {
        if (throwing) {
            calls.incrementAndGet();
            throw new IllegalStateException("discovery broken (test)");
        }
        return Mono.defer(() -> {
            calls.incrementAndGet();
            if (failing) {
                return Mono.error(new DiscoveryEndpointException("CloudHSM API endpoint unreachable (test)",
                        request.clusterId(), null));
            }
            List<DiscoveredHsm> hsms = new java.util.ArrayList<>();
            for (int i = 0; i < cluster.hsms().size(); i++) {
                LocalHsm h = cluster.hsm(i);
                hsms.add(new DiscoveredHsm(h.hsmId(), h.host(), "us-east-1a",
                        members.contains(i) ? HsmState.ACTIVE : HsmState.DELETED));
            }
            return Mono.just(new DiscoveredCluster(request.clusterId(), "ACTIVE", "us-east-1", hsms));
        });
    }

    @Override
    public void close() {
    }
}
