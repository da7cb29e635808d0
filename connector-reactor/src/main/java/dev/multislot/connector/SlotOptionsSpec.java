package dev.multislot.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings a connector applies to each slot, as a builder: the connector-wide defaults
 * ({@link HsmConnectorOptions.Builder}) and the per-slot overrides
 * ({@link HsmConnectorOptions.Builder#forSlot}) share these setters. Every setter checks its value
 * at once and names the bad value in its {@link IllegalArgumentException}.
 *
 * <p>Each setter says whether the setting is hot-reloadable, that is whether
 * {@link ReactorHsmConnector#updateOptions(HsmConnectorOptions)} changes it for live slots:
 * <ul>
 *   <li><b>hot</b>: applies to the next request of every slot;</li>
 *   <li><b>per connection</b>: applies to HSM connections opened afterwards (reconnects included);</li>
 *   <li><b>per slot</b>: applies to slots added or changed afterwards (a cluster edited in the config).</li>
 * </ul>
 *
 * @param <S> the concrete builder type, returned by every setter
 */
public abstract class SlotOptionsSpec<S extends SlotOptionsSpec<S>> {

    Duration requestTimeout = HsmConnectorOptions.DEFAULT_REQUEST_TIMEOUT;
    Duration attemptTimeout = HsmConnectorOptions.DEFAULT_ATTEMPT_TIMEOUT;
    int maxPendingRequests = HsmConnectorOptions.DEFAULT_MAX_PENDING_REQUESTS;
    RetryMode retryMode = HsmConnectorOptions.DEFAULT_RETRY_MODE;
    int maxAttempts = HsmConnectorOptions.DEFAULT_MAX_ATTEMPTS;
    Duration retryBackoff = HsmConnectorOptions.DEFAULT_RETRY_BACKOFF;
    Duration retryBackoffMax = HsmConnectorOptions.DEFAULT_RETRY_BACKOFF_MAX;
    int connectionsPerHsm = HsmConnectorOptions.DEFAULT_CONNECTIONS_PER_HSM;
    int maxInFlightPerConnection = HsmConnectorOptions.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
    Duration connectTimeout = HsmConnectorOptions.DEFAULT_CONNECT_TIMEOUT;
    Duration keepaliveInterval = HsmConnectorOptions.DEFAULT_KEEPALIVE_INTERVAL;
    Duration pingTimeout = HsmConnectorOptions.DEFAULT_PING_TIMEOUT;
    Duration reconnectDelay = HsmConnectorOptions.DEFAULT_RECONNECT_DELAY;
    Duration reconnectMaxDelay = HsmConnectorOptions.DEFAULT_RECONNECT_MAX_DELAY;
    boolean hostnameVerification = HsmConnectorOptions.DEFAULT_HOSTNAME_VERIFICATION;
    BreakerSettings breaker = BreakerSettings.defaults();
    Duration drainGracePeriod = HsmConnectorOptions.DEFAULT_DRAIN_GRACE_PERIOD;
    Duration topologyRefreshInterval = HsmConnectorOptions.DEFAULT_TOPOLOGY_REFRESH_INTERVAL;

    SlotOptionsSpec() {
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    void copyFrom(SlotOptions o) {
        requestTimeout = o.requestTimeout();
        attemptTimeout = o.attemptTimeout();
        maxPendingRequests = o.maxPendingRequests();
        retryMode = o.retryMode();
        maxAttempts = o.maxAttempts();
        retryBackoff = o.retryBackoff();
        retryBackoffMax = o.retryBackoffMax();
        connectionsPerHsm = o.connectionsPerHsm();
        maxInFlightPerConnection = o.maxInFlightPerConnection();
        connectTimeout = o.connectTimeout();
        keepaliveInterval = o.keepaliveInterval();
        pingTimeout = o.pingTimeout();
        reconnectDelay = o.reconnectDelay();
        reconnectMaxDelay = o.reconnectMaxDelay();
        hostnameVerification = o.hostnameVerification();
        breaker = o.breaker();
        drainGracePeriod = o.drainGracePeriod();
        topologyRefreshInterval = o.topologyRefreshInterval();
    }

    SlotOptions buildSlotOptions() {
        if (retryBackoffMax.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("retryBackoffMax (" + retryBackoffMax
                    + ") must not be shorter than retryBackoff (" + retryBackoff + ")");
        }
        if (reconnectMaxDelay.compareTo(reconnectDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay (" + reconnectMaxDelay
                    + ") must not be shorter than reconnectDelay (" + reconnectDelay + ")");
        }
        return new SlotOptions(this);
    }

    /**
     * The longest a request may take, from subscription to its answer, queueing, retries and
     * failover included; then it fails with {@link dev.multislot.api.errors.HsmTimeoutException}.
     * Default {@link HsmConnectorOptions#DEFAULT_REQUEST_TIMEOUT} (10 s). Hot.
     */
    public S requestTimeout(Duration timeout) {
        this.requestTimeout = Checks.positive("requestTimeout", timeout);
        return self();
    }

    /**
     * The longest one attempt on one HSM may take before a request that is safe to repeat moves to
     * another HSM (the timed-out attempt counts as a failure for that HSM's breaker). Requests that
     * change the key store are not bounded by it, only by the request timeout. Default
     * {@link HsmConnectorOptions#DEFAULT_ATTEMPT_TIMEOUT} (3 s). Hot.
     */
    public S attemptTimeout(Duration timeout) {
        this.attemptTimeout = Checks.positive("attemptTimeout", timeout);
        return self();
    }

    /**
     * The most requests a slot holds at once (waiting for a connection, on the wire, or between
     * retries); one more fails at once with {@link dev.multislot.api.errors.SlotOverloadedException}.
     * 1 to 10,000,000; default {@value HsmConnectorOptions#DEFAULT_MAX_PENDING_REQUESTS}. Hot.
     */
    public S maxPendingRequests(int max) {
        this.maxPendingRequests = Checks.range("maxPendingRequests", max, 1, 10_000_000);
        return self();
    }

    /** What to do with "busy" answers; default {@link RetryMode#STANDARD}. Hot. */
    public S retryMode(RetryMode mode) {
        this.retryMode = Objects.requireNonNull(mode, "retryMode");
        return self();
    }

    /**
     * The most attempts one request makes, across busy retries and failovers after a lost
     * connection or a timeout (attempts refused before sending, by an open breaker for example,
     * are not counted). 1 to 100; default {@value HsmConnectorOptions#DEFAULT_MAX_ATTEMPTS}. Hot.
     */
    public S maxAttempts(int attempts) {
        this.maxAttempts = Checks.range("maxAttempts", attempts, 1, 100);
        return self();
    }

    /**
     * The base of the exponential backoff between busy retries (full jitter: the wait is random
     * between 0 and {@code base * 2^(retry-1)}, capped by {@link #retryBackoffMax(Duration)}).
     * Default {@link HsmConnectorOptions#DEFAULT_RETRY_BACKOFF} (20 ms). Hot.
     */
    public S retryBackoff(Duration base) {
        this.retryBackoff = Checks.positive("retryBackoff", base);
        return self();
    }

    /** The longest wait between busy retries; default {@link HsmConnectorOptions#DEFAULT_RETRY_BACKOFF_MAX} (1 s). Hot. */
    public S retryBackoffMax(Duration max) {
        this.retryBackoffMax = Checks.positive("retryBackoffMax", max);
        return self();
    }

    /**
     * Multiplexed TLS connections kept open to each HSM. 1 to 64; default
     * {@value HsmConnectorOptions#DEFAULT_CONNECTIONS_PER_HSM}. Per slot.
     */
    public S connectionsPerHsm(int connections) {
        this.connectionsPerHsm = Checks.range("connectionsPerHsm", connections, 1, 64);
        return self();
    }

    /**
     * The most requests one connection carries at once; the HSM's own announced limit applies when
     * it is lower. Requests beyond it wait (within the request timeout) for an answer to free a
     * place. 1 to 65,536; default {@value HsmConnectorOptions#DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION}.
     * Per connection.
     */
    public S maxInFlightPerConnection(int max) {
        this.maxInFlightPerConnection = Checks.range("maxInFlightPerConnection", max, 1, 65_536);
        return self();
    }

    /**
     * The longest opening one connection may take: TCP, TLS handshake, HELLO and the login replay.
     * Default {@link HsmConnectorOptions#DEFAULT_CONNECT_TIMEOUT} (5 s). Per connection.
     */
    public S connectTimeout(Duration timeout) {
        this.connectTimeout = Checks.positive("connectTimeout", timeout);
        return self();
    }

    /**
     * How long a connection may receive nothing before it sends a keepalive PING. Default
     * {@link HsmConnectorOptions#DEFAULT_KEEPALIVE_INTERVAL} (15 s). Per connection.
     */
    public S keepaliveInterval(Duration interval) {
        this.keepaliveInterval = Checks.positive("keepaliveInterval", interval);
        return self();
    }

    /**
     * How long a keepalive PING may go unanswered before its connection is closed (and its requests
     * moved). Default {@link HsmConnectorOptions#DEFAULT_PING_TIMEOUT} (5 s). Per connection.
     */
    public S pingTimeout(Duration timeout) {
        this.pingTimeout = Checks.positive("pingTimeout", timeout);
        return self();
    }

    /**
     * The first delay before re-opening a lost connection; it doubles on each failure, with full
     * jitter, up to {@link #reconnectMaxDelay(Duration)}. Default
     * {@link HsmConnectorOptions#DEFAULT_RECONNECT_DELAY} (200 ms). Per connection.
     */
    public S reconnectDelay(Duration delay) {
        this.reconnectDelay = Checks.positive("reconnectDelay", delay);
        return self();
    }

    /** The longest delay between reconnect attempts; default {@link HsmConnectorOptions#DEFAULT_RECONNECT_MAX_DELAY} (30 s). Per connection. */
    public S reconnectMaxDelay(Duration delay) {
        this.reconnectMaxDelay = Checks.positive("reconnectMaxDelay", delay);
        return self();
    }

    /**
     * Whether an HSM's certificate must name the address dialled (its subjectAltName), as HTTPS
     * clients check. The certificate must be signed by the cluster's CA file either way. Default
     * {@value HsmConnectorOptions#DEFAULT_HOSTNAME_VERIFICATION}. Per slot.
     */
    public S hostnameVerification(boolean verify) {
        this.hostnameVerification = verify;
        return self();
    }

    /** The circuit breaker settings for each HSM; default {@link BreakerSettings#defaults()}. Per slot. */
    public S breaker(BreakerSettings settings) {
        this.breaker = Objects.requireNonNull(settings, "breaker");
        return self();
    }

    /** Changes some breaker settings, keeping the others as they are now. Per slot. */
    public S breaker(Consumer<BreakerSettings.Builder> changes) {
        BreakerSettings.Builder b = breaker.toBuilder();
        changes.accept(b);
        this.breaker = b.build();
        return self();
    }

    /**
     * How long a slot whose cluster left the config (or an HSM that left a slot) may finish the
     * requests it holds before they fail. Zero fails them at once. Default
     * {@link HsmConnectorOptions#DEFAULT_DRAIN_GRACE_PERIOD} (10 s). Hot.
     */
    public S drainGracePeriod(Duration grace) {
        this.drainGracePeriod = Checks.nonNegative("drainGracePeriod", grace);
        return self();
    }

    /**
     * How often to re-discover the cluster's HSMs through the connector's
     * {@link dev.multislot.api.spi.ClusterDiscovery} (with ±20 % jitter); zero turns periodic
     * refresh off. Whatever this says, a slot whose HSMs all failed to reconnect is refreshed at
     * once when a discovery is configured. Default {@link HsmConnectorOptions#DEFAULT_TOPOLOGY_REFRESH_INTERVAL}
     * (off). Per slot.
     */
    public S topologyRefreshInterval(Duration interval) {
        this.topologyRefreshInterval = Checks.nonNegative("topologyRefreshInterval", interval);
        return self();
    }
}
