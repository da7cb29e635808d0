package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.transport.TlsMaterial;
import dev.multislot.connector.internal.transport.TlsMaterialLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which HSMs a slot has, with the TLS material and zones they are reached with, and how that
 * changes: at the start, when the cluster's config changes and when topology refresh reports
 * HSMs joining or leaving. Changed only on the connector's registry thread; the request path
 * reads the volatile node array it publishes and never locks.
 */
final class SlotMembership {

    private static final Logger log = LoggerFactory.getLogger(SlotMembership.class);
    private static final HsmNode[] NO_NODES = new HsmNode[0];

    private final SlotImpl slot;
    private volatile ClusterConfig config;
    private volatile TlsMaterial tls;
    private volatile HsmConnectorException tlsError;
    private volatile HsmNode[] nodes = NO_NODES;
    /** Each HSM's availability zone, from the config file and the last topology refresh. */
    private volatile Map<HsmAddress, String> zones;

    SlotMembership(SlotImpl slot, ClusterConfig config) {
        this.slot = slot;
        this.config = config;
        this.zones = zonesOf(config);
    }

    /** The HSM nodes in use now; the caller must not change the array. */
    HsmNode[] nodes() {
        return nodes;
    }

    ClusterConfig config() {
        return config;
    }

    /** The HSM's availability zone, if the config file or the last topology refresh told it. */
    Optional<String> zoneOf(HsmAddress address) {
        return Optional.ofNullable(zones.get(address));
    }

    private static Map<HsmAddress, String> zonesOf(ClusterConfig config) {
        Map<HsmAddress, String> z = new LinkedHashMap<>();
        for (ServerConfig s : config.servers()) {
            s.availabilityZone().ifPresent(zone -> z.put(s.address(), zone));
        }
        return Map.copyOf(z);
    }

    /**
     * Reads the TLS files and connects to {@code hsms}. Completes once every HSM has had its first
     * connection attempt (or the connect timeout has passed), so that a slot is usable as soon as
     * it is announced.
     */
    Mono<Void> start(List<HsmAddress> hsms) {
        return loadTls(config)
                .publishOn(slot.context().registry())
                .flatMap(loaded -> {
                    applyTls(loaded);
                    List<HsmNode> created = new ArrayList<>();
                    for (HsmAddress a : hsms) {
                        created.add(newNode(a));
                    }
                    nodes = created.toArray(NO_NODES);
                    List<HsmNode> initial = List.copyOf(created);
                    slot.policyHook(p -> p.init(slot.clusterId(), initial));
                    return awaitFirstAttempts(created);
                });
    }

    /**
     * Applies a changed cluster config: new TLS files mean new connections to every HSM; otherwise
     * only added HSMs get new connections. New connections are opened before the old ones are
     * drained, so requests keep flowing; the old ones finish their in-flight requests (up to the
     * drain grace period) and close. Publishes HsmAdded/HsmRemoved and SlotChanged.
     */
    Mono<Void> reconfigure(ClusterConfig newConfig, List<HsmAddress> hsms, SlotOptions newOptions) {
        ClusterConfig old = config;
        boolean tlsChanged = !old.hsmCaFile().equals(newConfig.hsmCaFile())
                || !old.clientCertFile().equals(newConfig.clientCertFile())
                || !old.clientKeyFile().equals(newConfig.clientKeyFile())
                || newOptions.hostnameVerification() != slot.options().hostnameVerification();
        slot.setOptions(newOptions);
        config = newConfig;
        zones = zonesOf(newConfig);
        Mono<Boolean> tlsStep = tlsChanged ? loadTls(newConfig).publishOn(slot.context().registry()).map(loaded -> {
            applyTls(loaded);
            return true;
        }) : Mono.just(false);
        return tlsStep.flatMap(renewAll -> replaceNodes(hsms, renewAll))
                .then(Mono.fromRunnable(() -> slot.publish(
                        new SlotEvent.SlotChanged(slot.now(), slot.id(), slot.clusterId(), slot.hsms()))));
    }

    /**
     * Applies a discovered topology: HSMs that joined get connections, those gone are drained.
     * The zones discovery reported complete those the config file records.
     */
    Mono<Void> applyTopology(List<HsmAddress> hsms, Map<HsmAddress, String> discoveredZones) {
        Map<HsmAddress, String> merged = new LinkedHashMap<>(discoveredZones);
        merged.putAll(zonesOf(config));
        zones = Map.copyOf(merged);
        return replaceNodes(hsms, false);
    }

    private Mono<Void> replaceNodes(List<HsmAddress> hsms, boolean renewAll) {
        HsmNode[] before = nodes;
        Map<HsmAddress, HsmNode> kept = new LinkedHashMap<>();
        if (!renewAll) {
            for (HsmNode n : before) {
                kept.put(n.address(), n);
            }
        }
        List<HsmNode> next = new ArrayList<>();
        List<HsmNode> created = new ArrayList<>();
        for (HsmAddress a : new LinkedHashSet<>(hsms)) {
            HsmNode existing = kept.get(a);
            if (existing != null && !existing.isClosed()) {
                next.add(existing);
            } else {
                HsmNode n = newNode(a);
                created.add(n);
                next.add(n);
                // Queued now, on the registry thread, so that it comes before the node's first onUp.
                slot.policyHook(p -> p.onAdd(n));
            }
        }
        return awaitFirstAttempts(created)
                .publishOn(slot.context().registry())
                .then(Mono.fromRunnable(() -> {
                    Set<HsmAddress> beforeAddresses = new HashSet<>();
                    for (HsmNode n : before) {
                        beforeAddresses.add(n.address());
                    }
                    Set<HsmAddress> afterAddresses = new HashSet<>();
                    for (HsmNode n : next) {
                        afterAddresses.add(n.address());
                    }
                    nodes = next.toArray(NO_NODES);
                    for (HsmNode n : next) {
                        if (!beforeAddresses.contains(n.address())) {
                            log.info("{}: HSM {} joined the slot", slot.clusterId(), n.address());
                            slot.publish(new SlotEvent.HsmAdded(slot.now(), slot.id(), slot.clusterId(), n.address()));
                        }
                    }
                    Set<HsmNode> stay = new HashSet<>(next);
                    for (HsmNode old : before) {
                        if (!stay.contains(old)) {
                            boolean gone = !afterAddresses.contains(old.address());
                            old.drainAndClose(slot.options().drainGracePeriod(), new HsmConnectionException(
                                            gone ? "the HSM left the slot" : "the slot's TLS settings changed",
                                            slot.clusterId(),
                                            old.address()))
                                    .subscribe(abandoned -> {
                                        slot.recorder().hsmRemoved(old.address());
                                        if (gone) {
                                            log.info("{}: HSM {} left the slot ({} requests cut off)", slot.clusterId(),
                                                    old.address(), abandoned);
                                            slot.publish(new SlotEvent.HsmRemoved(slot.now(), slot.id(),
                                                    slot.clusterId(), old.address()));
                                        }
                                    });
                        }
                    }
                }));
    }

    private HsmNode newNode(HsmAddress address) {
        slot.recorder().hsmAdded(address);
        return new HsmNode(slot, address, tls, tlsError, slot.options());
    }

    private Mono<Void> awaitFirstAttempts(List<HsmNode> created) {
        if (created.isEmpty()) {
            return Mono.empty();
        }
        // Two connect timeouts: TCP+TLS, then HELLO and the login replay, each bounded by one.
        Duration bound = slot.options().connectTimeout().multipliedBy(2).plusMillis(100);
        return Flux.fromIterable(created)
                .flatMap(HsmNode::start)
                .then()
                .timeout(bound, Mono.empty(), slot.context().timer());
    }

    private Mono<TlsSetup> loadTls(ClusterConfig cfg) {
        boolean verify = slot.options().hostnameVerification();
        return Mono.<TlsSetup>fromCallable(() -> new TlsSetup.Loaded(TlsMaterialLoader.load(cfg, verify)))
                .subscribeOn(slot.context().files())
                .onErrorResume(TlsMaterialLoader.TlsSetupException.class, e -> Mono.just(
                        new TlsSetup.Failed(new HsmTlsException(e.getMessage(), slot.clusterId(), null, e.getCause()))));
    }

    private void applyTls(TlsSetup loaded) {
        tls = loaded.material();
        tlsError = loaded.error();
        if (tlsError != null) {
            log.warn("{}", tlsError.getMessage());
        }
    }
}
