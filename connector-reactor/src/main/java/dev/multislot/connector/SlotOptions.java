package dev.multislot.connector;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The settings in force for one slot: the connector-wide values with that slot's overrides
 * applied ({@link HsmConnectorOptions#slotOptions(dev.multislot.api.ClusterId)}). Immutable; see
 * {@link SlotOptionsSpec} for each setting's meaning, default and reload behaviour.
 */
public final class SlotOptions {

    private final Duration requestTimeout;
    private final Duration attemptTimeout;
    private final int maxPendingRequests;
    private final RetryMode retryMode;
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final int connectionsPerHsm;
    private final int maxInFlightPerConnection;
    private final Duration connectTimeout;
    private final Duration keepaliveInterval;
    private final Duration pingTimeout;
    private final Duration reconnectDelay;
    private final Duration reconnectMaxDelay;
    private final boolean hostnameVerification;
    private final BreakerSettings breaker;
    private final Duration drainGracePeriod;
    private final Duration topologyRefreshInterval;

    SlotOptions(SlotOptionsSpec<?> s) {
        requestTimeout = s.requestTimeout;
        attemptTimeout = s.attemptTimeout;
        maxPendingRequests = s.maxPendingRequests;
        retryMode = s.retryMode;
        maxAttempts = s.maxAttempts;
        retryBackoff = s.retryBackoff;
        retryBackoffMax = s.retryBackoffMax;
        connectionsPerHsm = s.connectionsPerHsm;
        maxInFlightPerConnection = s.maxInFlightPerConnection;
        connectTimeout = s.connectTimeout;
        keepaliveInterval = s.keepaliveInterval;
        pingTimeout = s.pingTimeout;
        reconnectDelay = s.reconnectDelay;
        reconnectMaxDelay = s.reconnectMaxDelay;
        hostnameVerification = s.hostnameVerification;
        breaker = s.breaker;
        drainGracePeriod = s.drainGracePeriod;
        topologyRefreshInterval = s.topologyRefreshInterval;
    }

    /** The settings with every default. */
    public static SlotOptions defaults() {
        return new Builder().build();
    }

    /** A copy of these settings with some changed. */
    public SlotOptions with(Consumer<Builder> changes) {
        Builder b = new Builder();
        b.copyFrom(this);
        changes.accept(b);
        return b.build();
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    public int maxPendingRequests() {
        return maxPendingRequests;
    }

    public RetryMode retryMode() {
        return retryMode;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    public int connectionsPerHsm() {
        return connectionsPerHsm;
    }

    public int maxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    public Duration pingTimeout() {
        return pingTimeout;
    }

    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    public BreakerSettings breaker() {
        return breaker;
    }

    public Duration drainGracePeriod() {
        return drainGracePeriod;
    }

    public Duration topologyRefreshInterval() {
        return topologyRefreshInterval;
    }

    /** Whether periodic topology refresh is on. */
    public boolean periodicTopologyRefresh() {
        return !topologyRefreshInterval.isZero();
    }

    @Override
    public String toString() {
        return "SlotOptions[requestTimeout=" + requestTimeout + ", attemptTimeout=" + attemptTimeout
                + ", maxPendingRequests=" + maxPendingRequests + ", retryMode=" + retryMode
                + ", maxAttempts=" + maxAttempts + ", retryBackoff=" + retryBackoff + ".." + retryBackoffMax
                + ", connectionsPerHsm=" + connectionsPerHsm + ", maxInFlightPerConnection=" + maxInFlightPerConnection
                + ", connectTimeout=" + connectTimeout + ", keepalive=" + keepaliveInterval + "/" + pingTimeout
                + ", reconnect=" + reconnectDelay + ".." + reconnectMaxDelay
                + ", hostnameVerification=" + hostnameVerification + ", " + breaker
                + ", drainGracePeriod=" + drainGracePeriod + ", topologyRefreshInterval=" + topologyRefreshInterval + "]";
    }

    /** Builds per-slot settings; used by {@link HsmConnectorOptions.Builder#forSlot}. */
    public static final class Builder extends SlotOptionsSpec<Builder> {
        Builder() {
        }

        /** The settings; fails if two settings contradict each other. */
        public SlotOptions build() {
            return buildSlotOptions();
        }
    }
}
