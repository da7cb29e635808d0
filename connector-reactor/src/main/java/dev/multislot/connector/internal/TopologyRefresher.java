package dev.multislot.connector.internal;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.slot.SlotImpl;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Re-discovers slots' HSMs through the optional {@link ClusterDiscovery}: periodically (jittered,
 * per slot, when its interval is set) and at once when every HSM of a slot has failed to
 * reconnect. Results go to the registry thread; a failure keeps the last known HSMs and is
 * published and logged once per run of failures.
 */
final class TopologyRefresher {

    private static final Logger log = LoggerFactory.getLogger(TopologyRefresher.class);

    private final ClusterDiscovery discovery;
    private final ConnectorRuntime runtime;
    private final Scheduler timer;
    private final Clock clock;
    private final Map<SlotImpl, Tracking> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TopologyRefresher(ClusterDiscovery discovery, ConnectorRuntime runtime, Scheduler timer, Clock clock) {
        this.discovery = discovery;
        this.runtime = runtime;
        this.timer = timer;
        this.clock = clock;
    }

    /** Starts (or re-plans, after an options change) the periodic refresh of a slot. */
    void track(SlotImpl slot) {
        if (discovery == null || closed) {
            return;
        }
        Tracking t = tracked.computeIfAbsent(slot, Tracking::new);
        t.plan();
    }

    void untrack(SlotImpl slot) {
        Tracking t = tracked.remove(slot);
        if (t != null) {
            t.cancel();
        }
    }

    /** Every HSM of the slot failed to reconnect: refresh now. */
    void refreshNow(SlotImpl slot) {
        if (discovery == null || closed) {
            return;
        }
        Tracking t = tracked.get(slot);
        if (t != null) {
            t.refresh("every HSM failed to reconnect");
        }
    }

    void close() {
        closed = true;
        tracked.values().forEach(Tracking::cancel);
        tracked.clear();
    }

    /**
     * The port discovered HSMs are dialled on: the configured servers' port when they all share
     * one, else the CloudHSM port.
     */
    static int portFor(ClusterConfig config) {
        Set<Integer> ports = new HashSet<>();
        for (ServerConfig s : config.servers()) {
            ports.add(s.port());
        }
        return ports.size() == 1 ? ports.iterator().next() : HsmAddress.DEFAULT_PORT;
    }

    /** The availability zone discovery reported for each usable HSM, by the address the slot uses. */
    static Map<HsmAddress, String> zones(DiscoveredCluster cluster, ClusterConfig config) {
        int port = portFor(config);
        boolean ipv6 = isIpv6(config);
        Map<HsmAddress, String> zones = new LinkedHashMap<>();
        for (DiscoveredHsm h : cluster.usableHsms()) {
            if (h.availabilityZone() != null && reachable(h, ipv6)) {
                zones.put(addressOf(h, ipv6, port), h.availabilityZone());
            }
        }
        return zones;
    }

    /**
     * The usable discovered HSMs, minus those the config lists as disabled; by their IPv6
     * addresses when every configured server is an IPv6 one.
     */
    static List<HsmAddress> addresses(DiscoveredCluster cluster, ClusterConfig config) {
        Set<HsmAddress> disabled = new HashSet<>();
        for (ServerConfig s : config.servers()) {
            if (!s.enabled()) {
                disabled.add(s.address());
            }
        }
        int port = portFor(config);
        boolean ipv6 = isIpv6(config);
        return cluster.usableHsms().stream()
                .filter(h -> reachable(h, ipv6))
                .map(h -> addressOf(h, ipv6, port))
                .filter(a -> !disabled.contains(a)).distinct().toList();
    }

    /** A cluster configured by IPv6 addresses (add-cluster --address-family ipv6) stays on IPv6. */
    private static boolean isIpv6(ClusterConfig config) {
        return !config.servers().isEmpty() && config.servers().stream().allMatch(s -> s.address().host().indexOf(':') >= 0);
    }

    private static boolean reachable(DiscoveredHsm h, boolean ipv6) {
        return !ipv6 || h.eniIpV6().isPresent();
    }

    /** The one place that says which address of a discovered HSM a slot connects to. */
    private static HsmAddress addressOf(DiscoveredHsm h, boolean ipv6, int port) {
        return ipv6 ? new HsmAddress(h.eniIpV6().get(), port) : new HsmAddress(h.eniIp(), h.port().orElse(port));
    }

    private final class Tracking {
        private final SlotImpl slot;
        private final AtomicBoolean running = new AtomicBoolean();
        private volatile boolean failing;
        private volatile boolean cancelled;
        private Disposable next;
        private volatile Disposable inFlight;

        Tracking(SlotImpl slot) {
            this.slot = slot;
        }

        /**
         * Synchronized with {@link #cancel()}: the timer's own re-plan and a re-plan after an
         * options change may run at once, and either may race with the slot's removal; without the
         * lock two timers could run side by side, or one could outlive the slot.
         */
        synchronized void plan() {
            Disposable d = next;
            if (d != null) {
                d.dispose();
                next = null;
            }
            SlotOptions o = slot.options();
            if (cancelled || closed || !o.periodicTopologyRefresh()) {
                return;
            }
            long base = o.topologyRefreshInterval().toNanos();
            long jittered = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
            try {
                next = timer.schedule(() -> {
                    refresh("periodic");
                    plan();
                }, Math.max(1, jittered), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // Closing.
            }
        }

        synchronized void cancel() {
            cancelled = true;
            Disposable d = next;
            if (d != null) {
                d.dispose();
                next = null;
            }
            Disposable r = inFlight;
            if (r != null) {
                r.dispose();
            }
        }

        void refresh(String why) {
            if (closed || cancelled || !running.compareAndSet(false, true)) {
                return;
            }
            ClusterConfig config = slot.config();
            // Through the endpoint add-cluster recorded, if any: a VPC endpoint may be the only way in.
            DiscoveryRequest request = new DiscoveryRequest(slot.clusterId(), config.region(), config.endpoint());
            log.debug("{}: refreshing topology ({})", slot.clusterId(), why);
            Duration bound = slot.options().requestTimeout().multipliedBy(3);
            // defer: a discovery that throws instead of returning a failed Mono must still end the run.
            inFlight = Mono.defer(() -> discovery.discover(request))
                    .timeout(bound, timer)
                    .doFinally(signal -> running.set(false))
                    .subscribe(cluster -> {
                        if (cancelled || closed) {
                            return; // the slot left while its HSMs were looked up
                        }
                        List<HsmAddress> found = addresses(cluster, slot.config());
                        if (found.isEmpty()) {
                            failed("discovery found no usable HSM in cluster " + cluster.clusterId()
                                    + " (state " + cluster.state() + "); keeping " + slot.hsms());
                            return;
                        }
                        if (failing) {
                            log.info("{}: topology refresh works again", slot.clusterId());
                        }
                        failing = false;
                        runtime.applyTopology(slot, found, zones(cluster, slot.config()));
                    }, error -> {
                        if (!cancelled && !closed) {
                            failed(error.getMessage() != null ? error.getMessage() : error.toString());
                        }
                    });
        }

        private void failed(String problem) {
            if (failing) {
                return;
            }
            failing = true;
            log.warn("{}: topology refresh failed, keeping the last known HSMs {}: {}", slot.clusterId(), slot.hsms(), problem);
            slot.context().events().publish(new SlotEvent.TopologyRefreshFailed(clock.instant(), slot.id(),
                    slot.clusterId(), problem));
        }
    }
}
