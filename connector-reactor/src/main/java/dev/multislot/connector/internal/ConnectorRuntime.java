package dev.multislot.connector.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.ConfigDiff;
import dev.multislot.api.spi.ConfigUpdate;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.internal.log.RateLimitedWarning;
import dev.multislot.connector.internal.metrics.ConnectorRecorder;
import dev.multislot.connector.internal.slot.HsmBreakers;
import dev.multislot.connector.internal.slot.SlotContext;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.connector.internal.transport.ConnectionFactory;
import dev.multislot.connector.internal.transport.ConnectorMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.util.concurrent.Queues;

/**
 * The live connector: shared resources (event loops, schedulers), the slot registry and its
 * single-threaded command stream, the event bus and topology refresh.
 *
 * <p>One owner: slot membership changes only in commands run one after another by one
 * subscriber on the registry thread ({@code concatMap}): config updates from the
 * {@link ClusterConfigSource} and topology results from the refresher are merged into that one
 * stream. The connector's close runs on that thread too, and so do the HSMs' up/down changes and
 * the balancing policy's hooks (see {@link SlotImpl}). Readers ({@link #slots()}, lookups) see an
 * immutable {@link SlotSnapshot} replaced as a whole. No lock is held while calling into another part.
 */
public final class ConnectorRuntime {

    private static final Logger log = LoggerFactory.getLogger(ConnectorRuntime.class);
    /** A full command queue drops one command per refresh result: a burst, logged once per window. */
    private final RateLimitedWarning queueFull = new RateLimitedWarning(log);

    private final ClusterConfigSource source;
    private final ClusterDiscovery discovery;
    private final Clock clock;
    private final LoopResources loops;
    private final Scheduler timer;
    /** Whether {@link #timer} is this runtime's to dispose (not one the user gave). */
    private final boolean ownsTimer;
    private final TimeSource time;
    private final CircuitBreakerRegistry breakerRegistry;
    private final Scheduler files;
    private final Scheduler registry;
    private final ConnectorMetrics metrics;
    private final EventBus events;
    private final SlotContext context;
    private final SlotIds ids = new SlotIds();
    private final TopologyRefresher refresher;
    private static final int COMMAND_QUEUE = 1024;
    private final Sinks.Many<Supplier<Mono<Void>>> commands =
            Sinks.many().unicast().onBackpressureBuffer(Queues.<Supplier<Mono<Void>>>get(COMMAND_QUEUE).get());
    private final Sinks.Empty<Void> firstApplied = Sinks.empty();
    /** Slots leaving the config, draining; on the registry thread only. */
    private final Set<SlotImpl> draining = new HashSet<>();
    /** Slots being started by a config change and not yet in the snapshot; on the registry thread only. */
    private final Set<SlotImpl> starting = new HashSet<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();

    private volatile HsmConnectorOptions options;
    private volatile SlotSnapshot snapshot = SlotSnapshot.EMPTY;
    private volatile Disposable subscription;

    public ConnectorRuntime(HsmConnectorOptions options, ClusterConfigSource source, ClusterDiscovery discovery, Clock clock) {
        this(options, source, discovery, clock, ConnectorRecorder.NOOP, null, null);
    }

    /**
     * @param clock what events are stamped with; null for the time source's clock
     * @param timer the scheduler every delay runs on and time is read from; null for the
     *     connector's own timer thread and {@link System#nanoTime()}
     * @param breakerRegistry where the HSMs' breakers are kept; null for one of the connector's own
     */
    public ConnectorRuntime(HsmConnectorOptions options, ClusterConfigSource source, ClusterDiscovery discovery, Clock clock,
                            ConnectorRecorder recorder, Scheduler timer, CircuitBreakerRegistry breakerRegistry) {
        this.metrics = new ConnectorMetrics(recorder);
        this.options = options;
        this.source = source;
        this.discovery = discovery;
        this.loops = LoopResources.create("multislot-io", 1, options.eventLoopThreads(), true);
        this.ownsTimer = timer == null;
        this.timer = ownsTimer ? Schedulers.newParallel("multislot-timer", 1, true) : timer;
        this.time = ownsTimer ? TimeSource.realTime(this.timer) : TimeSource.of(timer);
        this.clock = clock != null ? clock : time.clock();
        this.breakerRegistry = breakerRegistry != null ? breakerRegistry : CircuitBreakerRegistry.ofDefaults();
        this.files = Schedulers.newBoundedElastic(2, 256, "multislot-files", 60, true);
        this.registry = Schedulers.newSingle("multislot-registry", true);
        this.events = new EventBus(options.eventBufferSize());
        ConnectionFactory connections = new ConnectionFactory(loops, metrics, options.maxFrameSize(), time);
        this.refresher = new TopologyRefresher(discovery, this, this.timer, this.clock);
        this.context = new SlotContext(connections, metrics, events, this.timer, files, registry, this.clock,
                new HsmBreakers(this.breakerRegistry, time), options, refresher::refreshNow);
        recorder.bind(() -> snapshot.slots().size(), events::dropped, this.breakerRegistry);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Subscribes to the config source; completes once the first config has been applied. */
    public Mono<Void> start() {
        if (started.compareAndSet(false, true)) {
            Flux<Supplier<Mono<Void>>> configCommands = source.updates()
                    .onErrorResume(e -> {
                        log.error("the cluster config source failed; the connector keeps its current slots and "
                                + "takes no more config changes", e);
                        return Mono.empty();
                    })
                    .doOnComplete(firstApplied::tryEmitEmpty)
                    .map(update -> () -> apply(update));
            subscription = Flux.merge(configCommands, commands.asFlux())
                    .publishOn(registry)
                    .concatMap(command -> Mono.defer(command)
                            .onErrorResume(e -> {
                                log.error("applying a slot change failed", e);
                                return Mono.empty();
                            }), 1)
                    .subscribe();
        }
        return firstApplied.asMono();
    }

    /**
     * Queues a membership change for the registry thread. Callers are timer and event-loop threads,
     * so this never waits: the lock only makes producers take turns on the single-producer queue
     * behind the sink (held for one offer), and a full queue drops the command with a warning
     * rather than failing the sink, which would end the registry stream and with it every later
     * config change. Only topology results come this way; a dropped one is found again by the
     * next refresh.
     *
     * @return whether the command was queued
     */
    boolean submit(Supplier<Mono<Void>> command) {
        if (closing.get()) {
            return false;
        }
        Sinks.EmitResult result;
        synchronized (commands) {
            result = commands.tryEmitNext(command);
        }
        if (result.isSuccess()) {
            return true;
        }
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            queueFull.warn("{} slot changes are already waiting for the registry thread; dropping one (the next topology "
                    + "refresh repeats it)", COMMAND_QUEUE);
        }
        // Otherwise the registry stream is gone: the connector is closing.
        return false;
    }

    private Mono<Void> apply(ConfigUpdate update) {
        if (closing.get()) {
            return Mono.empty();
        }
        if (update instanceof ConfigUpdate.Rejected rejected) {
            metrics.recorder().configReload(false);
            log.warn("config from {} rejected, keeping the current one: {}", rejected.source(), rejected.problem());
            events.publish(new SlotEvent.ConfigRejected(clock.instant(), rejected.source(), rejected.problem()));
            firstApplied.tryEmitEmpty();
            return Mono.empty();
        }
        ConfigUpdate.Loaded loaded = (ConfigUpdate.Loaded) update;
        metrics.recorder().configReload(true);
        SlotSnapshot current = snapshot;
        List<ClusterConfig> before = new ArrayList<>();
        for (SlotImpl s : current.slots()) {
            before.add(s.config());
        }
        // Diff against what this connector runs, not what the source thinks it sent last.
        ConfigDiff diff = ConfigDiff.between(before, loaded.clusters());
        if (!diff.isEmpty()) {
            log.info("applying config from {}: {} added, {} removed, {} changed", loaded.source(), diff.added().size(),
                    diff.removed().size(), diff.changed().size());
        }
        HsmConnectorOptions opts = options;
        for (ClusterId removed : diff.removed()) {
            SlotImpl slot = current.byCluster().get(removed);
            if (slot != null) {
                remove(slot);
            }
        }
        List<Mono<Void>> work = new ArrayList<>();
        for (ClusterConfig changed : diff.changed()) {
            SlotImpl slot = current.byCluster().get(changed.clusterId());
            if (slot != null) {
                work.add(slot.reconfigure(changed, changed.enabledHsms(), ClusterFileSettings.slotOptions(opts, changed)));
            }
        }
        Map<ClusterId, SlotImpl> added = new LinkedHashMap<>();
        for (ClusterConfig cfg : diff.added()) {
            SlotImpl slot = new SlotImpl(ids.idFor(cfg.clusterId()), cfg, -1, ClusterFileSettings.slotOptions(opts, cfg), context);
            added.put(cfg.clusterId(), slot);
            starting.add(slot);
            work.add(slot.start(cfg.enabledHsms()));
        }
        // One slot failing to start or change must not hold up the others.
        List<Mono<Void>> guarded = new ArrayList<>();
        for (Mono<Void> w : work) {
            guarded.add(w.onErrorResume(e -> {
                log.error("applying a cluster change failed; the slot keeps what it could apply", e);
                return Mono.empty();
            }));
        }
        return Mono.when(guarded)
                .publishOn(registry)
                .then(Mono.fromRunnable(() -> {
                    // Once closing, close() has taken the started slots over (also when it
                    // cancelled this change before it got here).
                    if (closing.get()) {
                        return;
                    }
                    publish(loaded, added);
                    firstApplied.tryEmitEmpty();
                }));
    }

    /** On the registry thread: the new snapshot and the end of {@code starting} go together. */
    private void publish(ConfigUpdate.Loaded loaded, Map<ClusterId, SlotImpl> added) {
        SlotSnapshot now = snapshot;
        List<SlotImpl> ordered = new ArrayList<>();
        for (ClusterConfig cfg : loaded.clusters()) {
            SlotImpl s = added.containsKey(cfg.clusterId()) ? added.get(cfg.clusterId())
                    : now.byCluster().get(cfg.clusterId());
            if (s != null) {
                s.setIndex(ordered.size());
                ordered.add(s);
            }
        }
        snapshot = SlotSnapshot.of(ordered);
        for (SlotImpl s : added.values()) {
            log.info("slot {} for cluster {} added at index {} with HSMs {}", s.id(), s.clusterId(), s.index(),
                    s.hsms());
            events.publish(new SlotEvent.SlotAdded(clock.instant(), s.id(), s.clusterId(), s.index(), s.hsms()));
            refresher.track(s);
        }
        starting.removeAll(added.values());
    }

    /** On the registry thread: the slot takes no new requests, drains, then closes. */
    private void remove(SlotImpl slot) {
        snapshot = snapshot.without(slot);
        refresher.untrack(slot);
        draining.add(slot);
        int inFlight = slot.beginRemoval();
        log.info("cluster {} left the config: slot {} drains {} requests", slot.clusterId(), slot.id(), inFlight);
        events.publish(new SlotEvent.SlotDraining(clock.instant(), slot.id(), slot.clusterId(), inFlight));
        slot.awaitDrained(slot.options().drainGracePeriod())
                .publishOn(registry)
                .subscribe(null, e -> log.error("draining {} failed", slot, e), () -> {
                    if (closing.get() || !draining.remove(slot)) {
                        return; // the connector's close took it over
                    }
                    int abandoned = slot.finish(false);
                    log.info("slot {} of cluster {} removed ({} requests abandoned)", slot.id(), slot.clusterId(), abandoned);
                    events.publish(new SlotEvent.SlotRemoved(clock.instant(), slot.id(), slot.clusterId(), abandoned));
                });
    }

    /** Runs a topology result on the registry thread, if the slot is still configured. */
    void applyTopology(SlotImpl slot, List<HsmAddress> hsms, Map<HsmAddress, String> zones) {
        submit(() -> {
            if (snapshot.byCluster().get(slot.clusterId()) != slot || !slot.isActive()) {
                return Mono.empty();
            }
            if (slot.hsms().equals(hsms)) {
                return Mono.empty();
            }
            log.info("cluster {}: topology refresh found HSMs {} (had {})", slot.clusterId(), hsms, slot.hsms());
            return slot.applyTopology(hsms, zones);
        });
    }

    /** Applies the hot-reloadable settings of {@code next} to every slot. */
    public Mono<Void> updateOptions(HsmConnectorOptions next) {
        return Mono.<Void>fromRunnable(() -> {
            options = next;
            for (SlotImpl s : snapshot.slots()) {
                s.setOptions(ClusterFileSettings.slotOptions(next, s.config()));
                refresher.track(s);
            }
        }).subscribeOn(registry);
    }

    /**
     * Stops taking requests, waits up to {@code grace} for the pending ones, fails the rest with
     * ConnectorClosedException, closes every connection and releases the threads. Idempotent.
     */
    public Mono<Void> close(Duration grace) {
        if (closing.compareAndSet(false, true)) {
            Disposable sub = subscription;
            if (sub != null) {
                sub.dispose();
            }
            refresher.close();
            firstApplied.tryEmitEmpty();
            // The round-up of every slot runs on the registry thread, after any membership change
            // already running there, so that no slot is both published and missed here.
            Mono.fromCallable(this::takeEverySlot)
                    .subscribeOn(registry)
                    .flatMap(all -> shutDown(all, grace))
                    .subscribe(null, e -> log.error("closing the connector failed", e));
        }
        return closed.asMono();
    }

    /** On the registry thread: every slot, started, published or draining, stops taking requests. */
    private List<SlotImpl> takeEverySlot() {
        List<SlotImpl> all = new ArrayList<>(snapshot.slots());
        all.addAll(starting);
        starting.clear();
        snapshot = SlotSnapshot.EMPTY;
        all.addAll(draining);
        draining.clear();
        all.forEach(SlotImpl::beginClose);
        return all;
    }

    private Mono<Void> shutDown(List<SlotImpl> all, Duration grace) {
        Duration settle = options.slotDefaults().retryBackoffMax().plusSeconds(1);
        return Flux.fromIterable(all)
                .flatMap(s -> s.awaitDrained(grace))
                .then(Mono.fromRunnable(() -> all.forEach(s -> {
                    int abandoned = s.finish(true);
                    if (abandoned > 0) {
                        log.info("closing: {} requests of slot {} ({}) failed", abandoned, s.id(), s.clusterId());
                    }
                })).subscribeOn(registry))
                // The failed requests end as their connections close; wait for that before
                // the event loops go away.
                .thenMany(Flux.fromIterable(all).flatMap(s -> s.awaitDrained(settle)))
                .then(Mono.fromRunnable(() -> {
                    events.complete();
                    closePolicy();
                }).subscribeOn(registry))
                .then(loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).onErrorResume(e -> Mono.empty()))
                // Shutting executors down takes their locks: do it where blocking is allowed,
                // not on the Netty thread that reports the event loops' end.
                .publishOn(Schedulers.boundedElastic())
                .doFinally(s -> {
                    try {
                        if (ownsTimer) {
                            timer.dispose();
                        }
                        registry.dispose();
                        files.dispose();
                        metrics.recorder().close();
                    } finally {
                        closed.tryEmitEmpty();
                    }
                })
                .then();
    }

    private void closePolicy() {
        try {
            options.loadBalancingPolicy().close();
        } catch (RuntimeException e) {
            log.warn("the load balancing policy {} failed to close", options.loadBalancingPolicy(), e);
        }
    }

    public boolean isClosing() {
        return closing.get();
    }

    // ------------------------------------------------------------------ views

    public List<Slot> slots() {
        return List.copyOf(snapshot.slots());
    }

    public Optional<Slot> slot(ClusterId clusterId) {
        return Optional.ofNullable(snapshot.byCluster().get(clusterId));
    }

    public Optional<Slot> slot(SlotId slotId) {
        return Optional.ofNullable(snapshot.byId().get(slotId));
    }

    public List<ClusterId> clusterIds() {
        return new ArrayList<>(snapshot.byCluster().keySet());
    }

    public Flux<SlotEvent> events() {
        return events.events();
    }

    public long droppedEventCount() {
        return events.dropped();
    }

    public HsmConnectorOptions options() {
        return options;
    }

    public ConnectorMetrics metrics() {
        return metrics;
    }

    /** The registry holding every HSM's breaker, named {@code <cluster-id>/<host>:<port>}. */
    public CircuitBreakerRegistry breakerRegistry() {
        return breakerRegistry;
    }

    SlotContext context() {
        return context;
    }
}
