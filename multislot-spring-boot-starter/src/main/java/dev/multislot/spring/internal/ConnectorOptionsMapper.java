package dev.multislot.spring.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.connector.BreakerSettings;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.LoadBalancingPolicy;
import dev.multislot.connector.SlotOptionsSpec;
import dev.multislot.spring.BreakerProperties;
import dev.multislot.spring.MultislotProperties;
import dev.multislot.spring.MultislotPropertyException;
import dev.multislot.spring.SlotOptionProperties;
import java.util.Map;

/** Builds {@link HsmConnectorOptions} from {@code multislot.*}: unset properties keep the connector's defaults. */
public final class ConnectorOptionsMapper {

    private ConnectorOptionsMapper() {
    }

    /** The options builder the properties describe; customizers run on it afterwards. */
    public static HsmConnectorOptions.Builder toBuilder(MultislotProperties p) {
        HsmConnectorOptions.Builder b = HsmConnectorOptions.builder();
        PropertySetter top = new PropertySetter("multislot.");
        top.set("close-grace-period", p.getCloseGracePeriod(), b::closeGracePeriod);
        top.set("event-buffer-size", p.getEventBufferSize(), b::eventBufferSize);
        top.set("event-loop-threads", p.getEventLoopThreads(), b::eventLoopThreads);
        top.set("max-frame-size", p.getMaxFrameSize(), b::maxFrameSize);
        top.set("client-name", p.getClientName(), b::clientName);
        top.set("load-balancing.local-zone", p.getLoadBalancing().getLocalZone(),
                zone -> b.loadBalancingPolicy(LoadBalancingPolicy.zoneAware(zone)));
        applySlotOptions(top, p, b);
        for (Map.Entry<String, SlotOptionProperties> e : p.getSlots().entrySet()) {
            PropertySetter slot = top.nested("slots." + e.getKey());
            ClusterId clusterId = clusterId(slot, e.getKey());
            SlotOptionProperties overrides = e.getValue();
            // Checked here, at start-up, rather than when the slot first appears (forSlot runs its spec lazily).
            applySlotOptions(slot, overrides, HsmConnectorOptions.builder());
            b.forSlot(clusterId, spec -> applySlotOptions(slot, overrides, spec));
        }
        return b;
    }

    private static ClusterId clusterId(PropertySetter slot, String key) {
        try {
            return ClusterId.of(key);
        } catch (IllegalArgumentException e) {
            throw new MultislotPropertyException(slot.name("").replaceAll("\\.$", ""),
                    "'" + key + "' is not a cluster id: " + e.getMessage());
        }
    }

    private static void applySlotOptions(PropertySetter at, SlotOptionProperties p, SlotOptionsSpec<?> s) {
        at.set("request-timeout", p.getRequestTimeout(), s::requestTimeout);
        at.set("attempt-timeout", p.getAttemptTimeout(), s::attemptTimeout);
        at.set("max-pending-requests", p.getMaxPendingRequests(), s::maxPendingRequests);
        at.set("retry-mode", p.getRetryMode(), s::retryMode);
        at.set("max-attempts", p.getMaxAttempts(), s::maxAttempts);
        at.set("retry-backoff", p.getRetryBackoff(), s::retryBackoff);
        at.set("retry-backoff-max", p.getRetryBackoffMax(), s::retryBackoffMax);
        at.set("connections-per-hsm", p.getConnectionsPerHsm(), s::connectionsPerHsm);
        at.set("max-in-flight-per-connection", p.getMaxInFlightPerConnection(), s::maxInFlightPerConnection);
        at.set("connect-timeout", p.getConnectTimeout(), s::connectTimeout);
        at.set("keepalive-interval", p.getKeepaliveInterval(), s::keepaliveInterval);
        at.set("ping-timeout", p.getPingTimeout(), s::pingTimeout);
        at.set("reconnect-delay", p.getReconnectDelay(), s::reconnectDelay);
        at.set("reconnect-max-delay", p.getReconnectMaxDelay(), s::reconnectMaxDelay);
        at.set("hostname-verification", p.getHostnameVerification(), s::hostnameVerification);
        at.set("drain-grace-period", p.getDrainGracePeriod(), s::drainGracePeriod);
        at.set("topology-refresh-interval", p.getTopologyRefreshInterval(), s::topologyRefreshInterval);
        BreakerProperties breaker = p.getBreaker();
        if (isSet(breaker)) {
            PropertySetter at2 = at.nested("breaker");
            try {
                s.breaker(b -> applyBreaker(at2, breaker, b));
            } catch (IllegalArgumentException e) {
                // A refused combination (minimum calls above the window, say): no single property is at fault.
                throw new MultislotPropertyException(at.name("breaker"), e.getMessage());
            }
        }
    }

    private static boolean isSet(BreakerProperties p) {
        return p.getSlidingWindowSize() != null || p.getMinimumNumberOfCalls() != null || p.getFailureRateThreshold() != null
                || p.getSlowCallRateThreshold() != null || p.getSlowCallDurationThreshold() != null
                || p.getWaitDurationInOpenState() != null || p.getPermittedCallsInHalfOpenState() != null;
    }

    private static void applyBreaker(PropertySetter at, BreakerProperties p, BreakerSettings.Builder b) {
        at.set("sliding-window-size", p.getSlidingWindowSize(), b::slidingWindowSize);
        at.set("minimum-number-of-calls", p.getMinimumNumberOfCalls(), b::minimumNumberOfCalls);
        at.set("failure-rate-threshold", p.getFailureRateThreshold(), b::failureRateThreshold);
        at.set("slow-call-rate-threshold", p.getSlowCallRateThreshold(), b::slowCallRateThreshold);
        at.set("slow-call-duration-threshold", p.getSlowCallDurationThreshold(), b::slowCallDurationThreshold);
        at.set("wait-duration-in-open-state", p.getWaitDurationInOpenState(), b::waitDurationInOpenState);
        at.set("permitted-calls-in-half-open-state", p.getPermittedCallsInHalfOpenState(), b::permittedCallsInHalfOpenState);
    }
}
