package dev.multislot.spring;

import dev.multislot.connector.RetryMode;
import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The connector options a slot can have, as Spring properties. Every field is {@code null} until
 * set: an unset option keeps the connector's default (at the top level) or the top-level value
 * (under {@code multislot.slots.<cluster-id>}). Defaults are those of
 * {@link dev.multislot.connector.HsmConnectorOptions}; the property metadata lists them.
 */
public class SlotOptionProperties {

    /** The longest a request may take, retries and failover included. */
    private Duration requestTimeout;
    /** The longest one attempt on one HSM may take before a repeatable request moves on. */
    private Duration attemptTimeout;
    /** The most requests a slot holds at once; one more fails at once as overloaded. */
    private Integer maxPendingRequests;
    /** What to do with "busy" answers: standard (retry with backoff) or off. */
    private RetryMode retryMode;
    /** The most attempts one request makes, busy retries and failovers together. */
    private Integer maxAttempts;
    /** The base of the exponential backoff between busy retries. */
    private Duration retryBackoff;
    /** The longest wait between busy retries. */
    private Duration retryBackoffMax;
    /** Multiplexed TLS connections kept open to each HSM. */
    private Integer connectionsPerHsm;
    /** The most requests one connection carries at once. */
    private Integer maxInFlightPerConnection;
    /** The longest opening one connection may take: TCP, TLS, HELLO and login replay. */
    private Duration connectTimeout;
    /** How long a connection may receive nothing before it sends a keepalive. */
    private Duration keepaliveInterval;
    /** How long a keepalive may go unanswered before its connection is closed. */
    private Duration pingTimeout;
    /** The first delay before re-opening a lost connection (doubled on each failure). */
    private Duration reconnectDelay;
    /** The longest delay between reconnect attempts. */
    private Duration reconnectMaxDelay;
    /** Whether an HSM's certificate must name the address dialled. */
    private Boolean hostnameVerification;
    /** How long a removed slot (or HSM) may finish the requests it holds. */
    private Duration drainGracePeriod;
    /** How often to re-discover the cluster's HSMs; zero turns periodic refresh off. */
    private Duration topologyRefreshInterval;
    /** Each HSM's circuit breaker. */
    @NestedConfigurationProperty
    private final BreakerProperties breaker = new BreakerProperties();

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getAttemptTimeout() {
        return attemptTimeout;
    }

    public void setAttemptTimeout(Duration attemptTimeout) {
        this.attemptTimeout = attemptTimeout;
    }

    public Integer getMaxPendingRequests() {
        return maxPendingRequests;
    }

    public void setMaxPendingRequests(Integer maxPendingRequests) {
        this.maxPendingRequests = maxPendingRequests;
    }

    public RetryMode getRetryMode() {
        return retryMode;
    }

    public void setRetryMode(RetryMode retryMode) {
        this.retryMode = retryMode;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getRetryBackoffMax() {
        return retryBackoffMax;
    }

    public void setRetryBackoffMax(Duration retryBackoffMax) {
        this.retryBackoffMax = retryBackoffMax;
    }

    public Integer getConnectionsPerHsm() {
        return connectionsPerHsm;
    }

    public void setConnectionsPerHsm(Integer connectionsPerHsm) {
        this.connectionsPerHsm = connectionsPerHsm;
    }

    public Integer getMaxInFlightPerConnection() {
        return maxInFlightPerConnection;
    }

    public void setMaxInFlightPerConnection(Integer maxInFlightPerConnection) {
        this.maxInFlightPerConnection = maxInFlightPerConnection;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getKeepaliveInterval() {
        return keepaliveInterval;
    }

    public void setKeepaliveInterval(Duration keepaliveInterval) {
        this.keepaliveInterval = keepaliveInterval;
    }

    public Duration getPingTimeout() {
        return pingTimeout;
    }

    public void setPingTimeout(Duration pingTimeout) {
        this.pingTimeout = pingTimeout;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public Boolean getHostnameVerification() {
        return hostnameVerification;
    }

    public void setHostnameVerification(Boolean hostnameVerification) {
        this.hostnameVerification = hostnameVerification;
    }

    public Duration getDrainGracePeriod() {
        return drainGracePeriod;
    }

    public void setDrainGracePeriod(Duration drainGracePeriod) {
        this.drainGracePeriod = drainGracePeriod;
    }

    public Duration getTopologyRefreshInterval() {
        return topologyRefreshInterval;
    }

    public void setTopologyRefreshInterval(Duration topologyRefreshInterval) {
        this.topologyRefreshInterval = topologyRefreshInterval;
    }

    public BreakerProperties getBreaker() {
        return breaker;
    }
}
