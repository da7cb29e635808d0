package dev.multislot.connector;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotId;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.connector.internal.ConnectorRuntime;
import dev.multislot.connector.internal.metrics.ConnectorRecorder;
import dev.multislot.connector.internal.metrics.micrometer.MicrometerSupport;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link HsmConnector} built on Reactor Netty: TLS connections multiplexed by request id,
 * per-HSM circuit breakers, power-of-two-choices balancing, retries and failover, and live
 * application of config changes.
 *
 * <pre>{@code
 * HsmConnector connector = ReactorHsmConnector.builder()
 *         .options(HsmConnectorOptions.builder().requestTimeout(Duration.ofSeconds(5)).build())
 *         .configSource(configSource)          // required: where the clusters come from
 *         .discovery(discovery)                // optional: topology refresh
 *         .build()
 *         .connect()                           // completes once the first config is applied
 *         .block();
 * }</pre>
 *
 * <p>{@link #connect()} subscribes to the config source and completes once its first config has
 * been applied: one slot per cluster, each HSM having had a first connection attempt. A first
 * config that is rejected leaves the connector with no slots (logged, and published as
 * {@link SlotEvent.ConfigRejected}) until a valid one arrives.
 *
 * <p>The connector does not own the config source or the discovery it is given: closing the
 * connector stops using them, the caller closes them. Every method is non-blocking and
 * thread-safe except {@link #close()}, which waits.
 */
public final class ReactorHsmConnector implements HsmConnector {

    private final ConnectorRuntime runtime;
    private final AtomicReference<Mono<HsmConnector>> connected = new AtomicReference<>();

    private ReactorHsmConnector(Builder b) {
        // Micrometer is optional: its classes are touched only through MicrometerSupport, and
        // only when a registry was given.
        ConnectorRecorder recorder = b.meterRegistry == null && b.observationRegistry == null ? ConnectorRecorder.NOOP
                : MicrometerSupport.recorder(b.meterRegistry, b.observationRegistry, b.metricsOptions);
        this.runtime = new ConnectorRuntime(b.options, b.configSource, b.discovery, b.clock, recorder, b.timer,
                b.breakerRegistry);
    }

    /** A builder; only {@link Builder#configSource(ClusterConfigSource)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the connector: subscribes to the config source and opens connections. Completes with
     * this connector once the first config is applied. Calling it again returns the same result.
     */
    public Mono<HsmConnector> connect() {
        Mono<HsmConnector> m = connected.get();
        if (m == null) {
            Mono<HsmConnector> created = Mono.defer(() -> runtime.start()).thenReturn((HsmConnector) this).cache();
            m = connected.compareAndSet(null, created) ? created : connected.get();
        }
        return m;
    }

    /** The options in force. */
    public HsmConnectorOptions options() {
        return runtime.options();
    }

    /**
     * Applies new options to the running connector. The settings {@link SlotOptionsSpec} marks
     * "hot" apply to the next request of every slot; "per connection" ones to connections opened
     * afterwards; "per slot" ones to slots added or changed afterwards (and to HSMs added later).
     * Connector-wide settings fixed at build (event loops, event buffer, frame size, client name,
     * balancing policy, reconnection schedules) keep their first value.
     */
    public Mono<Void> updateOptions(HsmConnectorOptions options) {
        return runtime.updateOptions(Objects.requireNonNull(options, "options"));
    }

    @Override
    public List<Slot> slots() {
        return runtime.slots();
    }

    @Override
    public Optional<Slot> slot(ClusterId clusterId) {
        return runtime.slot(Objects.requireNonNull(clusterId, "clusterId"));
    }

    @Override
    public Optional<Slot> slot(SlotId slotId) {
        return runtime.slot(Objects.requireNonNull(slotId, "slotId"));
    }

    @Override
    public Mono<Slot> requireSlot(ClusterId clusterId) {
        Objects.requireNonNull(clusterId, "clusterId");
        return Mono.defer(() -> runtime.slot(clusterId).map(Mono::just)
                .orElseGet(() -> Mono.error(new SlotNotFoundException(clusterId, runtime.clusterIds()))));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each subscriber has a buffer of {@link HsmConnectorOptions#eventBufferSize()} events and
     * receives them on a Reactor bounded-elastic thread, never on a connector thread.
     */
    @Override
    public Flux<SlotEvent> events() {
        return runtime.events();
    }

    @Override
    public long droppedEventCount() {
        return runtime.droppedEventCount();
    }

    @Override
    public Mono<Void> close(Duration gracePeriod) {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
        }
        return runtime.close(gracePeriod);
    }

    /**
     * Closes with {@link HsmConnectorOptions#closeGracePeriod()} and waits for it (plus a few
     * seconds to close connections). Blocks: do not call it on an event loop or other
     * non-blocking thread; use {@link #close(Duration)} there.
     */
    @Override
    public void close() {
        Duration grace = runtime.options().closeGracePeriod();
        close(grace).block(grace.plusSeconds(5));
    }

    /**
     * The registry holding one Resilience4j breaker per HSM, named {@code <cluster-id>/<host>:<port>}
     * (the one given to {@link Builder#circuitBreakerRegistry}, or the connector's own). A breaker
     * is added when its HSM joins a slot and removed when it leaves; read states and metrics here,
     * or bind the registry to meters (the connector does when it has a {@code MeterRegistry}).
     */
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return runtime.breakerRegistry();
    }

    /** Internal state for diagnostics and this module's tests; may change in any release. */
    public ConnectorRuntime runtime() {
        return runtime;
    }

    @Override
    public String toString() {
        return "ReactorHsmConnector" + runtime.clusterIds();
    }

    /** Builds a {@link ReactorHsmConnector}. */
    public static final class Builder {
        private HsmConnectorOptions options = HsmConnectorOptions.defaults();
        private ClusterConfigSource configSource;
        private ClusterDiscovery discovery;
        private Clock clock;
        private Scheduler timer;
        private CircuitBreakerRegistry breakerRegistry;
        // Kept as Object so that this class never needs Micrometer's classes to load.
        private Object meterRegistry;
        private Object observationRegistry;
        private MetricsOptions metricsOptions = MetricsOptions.defaults();

        private Builder() {
        }

        /**
         * Records the connector's meters ({@code multislot.*}, listed in {@code docs/observability.md})
         * on {@code registry}; default none (nothing is recorded, and Micrometer need not be on the
         * class path). The connector never uses Micrometer's global registry; its meters are
         * removed from {@code registry} when their slot or HSM goes, and all of them on close.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Makes each request one {@code multislot.request} observation on {@code registry}, child of
         * the observation in the subscriber's Reactor context (key {@code micrometer.observation});
         * default none.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** How meters are recorded (histograms, per-HSM timers, Reactor Netty's meters); default {@link MetricsOptions#defaults()}. */
        public Builder metricsOptions(MetricsOptions metricsOptions) {
            this.metricsOptions = Objects.requireNonNull(metricsOptions, "metricsOptions");
            return this;
        }

        /** The options; default {@link HsmConnectorOptions#defaults()}. */
        public Builder options(HsmConnectorOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Where the clusters come from (required); its updates are applied live. */
        public Builder configSource(ClusterConfigSource configSource) {
            this.configSource = Objects.requireNonNull(configSource, "configSource");
            return this;
        }

        /**
         * How to re-discover a cluster's HSMs for topology refresh; {@code null} (the default)
         * turns topology refresh off.
         */
        public Builder discovery(ClusterDiscovery discovery) {
            this.discovery = discovery;
            return this;
        }

        /**
         * The clock events are stamped with; default the UTC system clock, or the
         * {@link #timer(Scheduler) timer}'s time when one is given.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The connector's one source of time: every request deadline, busy-retry backoff,
         * reconnect delay, breaker open wait, drain grace, close grace and topology refresh waits
         * on this scheduler, and reads the time from its {@code now()}. For tests: give a
         * {@code VirtualTimeScheduler} and advance it, and all of these move with it, with no real
         * waiting. Default: the connector's own timer thread with {@link System#nanoTime()}, which
         * is what production wants (Reactor's other schedulers tell time in milliseconds).
         * The connector does not dispose a scheduler it was given.
         */
        public Builder timer(Scheduler timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Where the HSMs' circuit breakers are kept, one per HSM named
         * {@code <cluster-id>/<host>:<port>} with the settings of {@link BreakerSettings} (the
         * registry's own default config is not used); default a registry of the connector's own.
         * Give the application's registry to see the breakers beside its others.
         */
        public Builder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
            this.breakerRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The connector, not yet started: call {@link ReactorHsmConnector#connect()}. */
        public ReactorHsmConnector build() {
            if (configSource == null) {
                throw new IllegalStateException("a configSource is required: ReactorHsmConnector.builder().configSource(...)");
            }
            return new ReactorHsmConnector(this);
        }
    }
}
