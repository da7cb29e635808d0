package dev.multislot.connector;

import dev.multislot.api.ClusterId;
import dev.multislot.protocol.ProtocolConstants;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything a {@link ReactorHsmConnector} can be tuned with: connector-wide settings, the
 * settings every slot gets by default, and per-slot overrides.
 *
 * <p>Immutable; build with {@link #builder()}, change a copy with {@link #toBuilder()}. Every
 * setter checks its value at once and names the bad value. Defaults are the {@code DEFAULT_*}
 * constants. The slot settings (timeouts, limits, retries, breakers, ...) are documented on
 * {@link SlotOptionsSpec}, with whether each is hot-reloadable through
 * {@link ReactorHsmConnector#updateOptions(HsmConnectorOptions)}; the connector-wide ones here
 * are fixed when the connector is built unless said otherwise.
 *
 * <pre>{@code
 * HsmConnectorOptions options = HsmConnectorOptions.builder()
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .maxPendingRequests(20_000)
 *         .breaker(b -> b.failureRateThreshold(30))
 *         .forSlot(ClusterId.of("cluster-batch"), slot -> slot.retryMode(RetryMode.OFF))
 *         .build();
 * }</pre>
 */
public final class HsmConnectorOptions {

    /** Default {@link SlotOptionsSpec#requestTimeout(Duration)}: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link SlotOptionsSpec#attemptTimeout(Duration)}: 3 s. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** Default {@link SlotOptionsSpec#maxPendingRequests(int)}: 4096 requests per slot. */
    public static final int DEFAULT_MAX_PENDING_REQUESTS = 4096;
    /** Default {@link SlotOptionsSpec#retryMode(RetryMode)}: {@link RetryMode#STANDARD}. */
    public static final RetryMode DEFAULT_RETRY_MODE = RetryMode.STANDARD;
    /** Default {@link SlotOptionsSpec#maxAttempts(int)}: 3 attempts. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default {@link SlotOptionsSpec#retryBackoff(Duration)}: 20 ms. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(20);
    /** Default {@link SlotOptionsSpec#retryBackoffMax(Duration)}: 1 s. */
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(1);
    /** Default {@link SlotOptionsSpec#connectionsPerHsm(int)}: 2 connections. */
    public static final int DEFAULT_CONNECTIONS_PER_HSM = 2;
    /** Default {@link SlotOptionsSpec#maxInFlightPerConnection(int)}: 256 requests. */
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256;
    /** Default {@link SlotOptionsSpec#connectTimeout(Duration)}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link SlotOptionsSpec#keepaliveInterval(Duration)}: 15 s. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    /** Default {@link SlotOptionsSpec#pingTimeout(Duration)}: 5 s. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@link SlotOptionsSpec#reconnectDelay(Duration)}: 200 ms. */
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(200);
    /** Default {@link SlotOptionsSpec#reconnectMaxDelay(Duration)}: 30 s. */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(30);
    /** Default {@link SlotOptionsSpec#hostnameVerification(boolean)}: on. */
    public static final boolean DEFAULT_HOSTNAME_VERIFICATION = true;
    /** Default {@link SlotOptionsSpec#drainGracePeriod(Duration)}: 10 s. */
    public static final Duration DEFAULT_DRAIN_GRACE_PERIOD = Duration.ofSeconds(10);
    /** Default {@link SlotOptionsSpec#topologyRefreshInterval(Duration)}: zero, periodic refresh off. */
    public static final Duration DEFAULT_TOPOLOGY_REFRESH_INTERVAL = Duration.ZERO;

    /** Default {@link #closeGracePeriod()}: 10 s. */
    public static final Duration DEFAULT_CLOSE_GRACE_PERIOD = Duration.ofSeconds(10);
    /** Default {@link #eventBufferSize()}: 256 events per subscriber. */
    public static final int DEFAULT_EVENT_BUFFER_SIZE = 256;
    /** Default {@link #eventLoopThreads()}: the number of available processors. */
    public static final int DEFAULT_EVENT_LOOP_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Default {@link #maxFrameSize()}: the protocol's largest, 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = ProtocolConstants.DEFAULT_MAX_FRAME_SIZE;
    /** Default {@link #clientName()}: {@value}. */
    public static final String DEFAULT_CLIENT_NAME = "multislot-connector";

    private static final HsmConnectorOptions DEFAULTS = builder().build();

    private final SlotOptions slotDefaults;
    private final Map<ClusterId, Consumer<? super SlotOptions.Builder>> overrideSpecs;
    private final Map<ClusterId, SlotOptions> overrides;
    private final Duration closeGracePeriod;
    private final int eventBufferSize;
    private final int eventLoopThreads;
    private final int maxFrameSize;
    private final String clientName;
    private final LoadBalancingPolicy loadBalancingPolicy;
    private final Supplier<? extends ReconnectionSchedule> reconnectionSchedules;

    private HsmConnectorOptions(Builder b) {
        this.slotDefaults = b.buildSlotOptions();
        this.overrideSpecs = Collections.unmodifiableMap(new LinkedHashMap<>(b.overrideSpecs));
        Map<ClusterId, SlotOptions> effective = new LinkedHashMap<>();
        b.overrideSpecs.forEach((id, spec) -> {
            SlotOptions.Builder sb = new SlotOptions.Builder();
            sb.copyFrom(slotDefaults);
            spec.accept(sb);
            effective.put(id, sb.build());
        });
        this.overrides = Collections.unmodifiableMap(effective);
        this.closeGracePeriod = b.closeGracePeriod;
        this.eventBufferSize = b.eventBufferSize;
        this.eventLoopThreads = b.eventLoopThreads;
        this.maxFrameSize = b.maxFrameSize;
        this.clientName = b.clientName;
        this.loadBalancingPolicy = b.loadBalancingPolicy;
        this.reconnectionSchedules = b.reconnectionSchedules;
    }

    /** The options with every default. */
    public static HsmConnectorOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options, per-slot overrides included. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The settings of the slot serving {@code clusterId}: the defaults with its override, if any. */
    public SlotOptions slotOptions(ClusterId clusterId) {
        return overrides.getOrDefault(Objects.requireNonNull(clusterId, "clusterId"), slotDefaults);
    }

    /** The settings of slots without an override. */
    public SlotOptions slotDefaults() {
        return slotDefaults;
    }

    /** The clusters with per-slot overrides. */
    public Map<ClusterId, SlotOptions> slotOverrides() {
        return overrides;
    }

    /** The grace period of {@link ReactorHsmConnector#close()}. Hot. */
    public Duration closeGracePeriod() {
        return closeGracePeriod;
    }

    /** The bounded buffer each {@link ReactorHsmConnector#events()} subscriber gets. Fixed at build. */
    public int eventBufferSize() {
        return eventBufferSize;
    }

    /** Netty event loop threads shared by every connection of the connector. Fixed at build. */
    public int eventLoopThreads() {
        return eventLoopThreads;
    }

    /** The largest frame this client sends or accepts (the HSM's own limit applies when lower). Fixed at build. */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The client name sent in each connection's HELLO. Fixed at build. */
    public String clientName() {
        return clientName;
    }

    /** How each slot chooses an HSM for a request. Fixed at build. */
    public LoadBalancingPolicy loadBalancingPolicy() {
        return loadBalancingPolicy;
    }

    /**
     * The factory of reconnection schedules, if one was set; otherwise each slot uses exponential
     * backoff from its {@link SlotOptions#reconnectDelay()} to {@link SlotOptions#reconnectMaxDelay()}.
     * Fixed at build.
     */
    public Optional<Supplier<? extends ReconnectionSchedule>> reconnectionSchedules() {
        return Optional.ofNullable(reconnectionSchedules);
    }

    @Override
    public String toString() {
        return "HsmConnectorOptions[slotDefaults=" + slotDefaults + ", overrides=" + overrides.keySet()
                + ", closeGracePeriod=" + closeGracePeriod + ", eventBufferSize=" + eventBufferSize
                + ", eventLoopThreads=" + eventLoopThreads + ", maxFrameSize=" + maxFrameSize
                + ", clientName=" + clientName + "]";
    }

    /**
     * Builds {@link HsmConnectorOptions}. The slot setters inherited from {@link SlotOptionsSpec}
     * set the defaults of every slot; {@link #forSlot} overrides some of them for one cluster.
     */
    public static final class Builder extends SlotOptionsSpec<Builder> {
        private final Map<ClusterId, Consumer<? super SlotOptions.Builder>> overrideSpecs = new LinkedHashMap<>();
        private Duration closeGracePeriod = DEFAULT_CLOSE_GRACE_PERIOD;
        private int eventBufferSize = DEFAULT_EVENT_BUFFER_SIZE;
        private int eventLoopThreads = DEFAULT_EVENT_LOOP_THREADS;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private String clientName = DEFAULT_CLIENT_NAME;
        private LoadBalancingPolicy loadBalancingPolicy = LoadBalancingPolicy.powerOfTwoChoices();
        private Supplier<? extends ReconnectionSchedule> reconnectionSchedules;

        private Builder() {
        }

        private Builder(HsmConnectorOptions o) {
            copyFrom(o.slotDefaults);
            overrideSpecs.putAll(o.overrideSpecs);
            closeGracePeriod = o.closeGracePeriod;
            eventBufferSize = o.eventBufferSize;
            eventLoopThreads = o.eventLoopThreads;
            maxFrameSize = o.maxFrameSize;
            clientName = o.clientName;
            loadBalancingPolicy = o.loadBalancingPolicy;
            reconnectionSchedules = o.reconnectionSchedules;
        }

        /**
         * Overrides some slot settings for one cluster, in the style of reactor-netty's
         * {@code forRemoteHost}: the spec starts from this builder's slot settings as they are
         * when {@link #build()} runs, and changes only what it sets. A second call for the same
         * cluster replaces the first.
         *
         * <pre>{@code
         * builder.forSlot(ClusterId.of("cluster-eu"), spec -> spec.requestTimeout(Duration.ofSeconds(2)))
         * }</pre>
         */
        public Builder forSlot(ClusterId clusterId, Consumer<? super SlotOptions.Builder> spec) {
            overrideSpecs.put(Objects.requireNonNull(clusterId, "clusterId"), Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Removes the override of one cluster, if any. */
        public Builder clearSlotOverride(ClusterId clusterId) {
            overrideSpecs.remove(Objects.requireNonNull(clusterId, "clusterId"));
            return this;
        }

        /** Grace period of {@link ReactorHsmConnector#close()}, zero or more; default {@link #DEFAULT_CLOSE_GRACE_PERIOD} (10 s). Hot. */
        public Builder closeGracePeriod(Duration grace) {
            this.closeGracePeriod = Checks.nonNegative("closeGracePeriod", grace);
            return this;
        }

        /** Events buffered per slow subscriber, 1 to 1,000,000; default {@value #DEFAULT_EVENT_BUFFER_SIZE}. Fixed at build. */
        public Builder eventBufferSize(int events) {
            this.eventBufferSize = Checks.range("eventBufferSize", events, 1, 1_000_000);
            return this;
        }

        /** Netty event loop threads, 1 to 1024; default the number of processors. Fixed at build. */
        public Builder eventLoopThreads(int threads) {
            this.eventLoopThreads = Checks.range("eventLoopThreads", threads, 1, 1024);
            return this;
        }

        /**
         * Largest frame, {@value ProtocolConstants#MIN_MAX_FRAME_SIZE} to
         * {@value ProtocolConstants#DEFAULT_MAX_FRAME_SIZE} bytes; default the latter. Fixed at build.
         */
        public Builder maxFrameSize(int bytes) {
            this.maxFrameSize = Checks.range("maxFrameSize", bytes, ProtocolConstants.MIN_MAX_FRAME_SIZE,
                    ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
            return this;
        }

        /** Client name for HELLO, 1 to 64 printable ASCII characters; default {@value #DEFAULT_CLIENT_NAME}. Fixed at build. */
        public Builder clientName(String name) {
            Objects.requireNonNull(name, "clientName");
            if (name.isEmpty() || name.length() > 64 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("clientName must be 1 to 64 printable ASCII characters, was '"
                        + name + "'");
            }
            this.clientName = name;
            return this;
        }

        /** How slots choose HSMs; default {@link LoadBalancingPolicy#powerOfTwoChoices()}. Fixed at build. */
        public Builder loadBalancingPolicy(LoadBalancingPolicy policy) {
            this.loadBalancingPolicy = Objects.requireNonNull(policy, "loadBalancingPolicy");
            return this;
        }

        /**
         * A factory of reconnection schedules replacing the default exponential backoff; called once
         * per lost connection. Fixed at build.
         */
        public Builder reconnectionSchedules(Supplier<? extends ReconnectionSchedule> schedules) {
            this.reconnectionSchedules = Objects.requireNonNull(schedules, "reconnectionSchedules");
            return this;
        }

        /** The options; fails if two settings contradict each other (naming both). */
        public HsmConnectorOptions build() {
            return new HsmConnectorOptions(this);
        }
    }
}
