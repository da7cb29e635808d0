package dev.multislot.connector.internal.slot;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.connector.BreakerSettings;
import dev.multislot.connector.internal.time.TimeSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The HSMs' circuit breakers, kept in the connector's {@link CircuitBreakerRegistry} under
 * {@code <cluster-id>/<host>:<port>} so that users can read them and bind them to meters, and
 * running on the connector's time (the open wait included), so that virtual time drives them.
 *
 * <p>Breakers are made and removed only on the registry thread (see {@link HsmNode}), so a node
 * that replaces another at the same address (new TLS files) and the old node's removal never race.
 */
public final class HsmBreakers {

    private final CircuitBreakerRegistry registry;
    private final Clock clock;
    private final TimeSource time;

    public HsmBreakers(CircuitBreakerRegistry registry, TimeSource time) {
        this.registry = registry;
        this.time = time;
        this.clock = time.clock();
    }

    /** The registry name of an HSM's breaker. */
    public static String name(ClusterId clusterId, HsmAddress address) {
        return clusterId + "/" + address;
    }

    /** A fresh breaker for the HSM, replacing any left in the registry under its name. */
    CircuitBreaker create(ClusterId clusterId, HsmAddress address, BreakerSettings b) {
        String name = name(clusterId, address);
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.slidingWindowSize())
                .minimumNumberOfCalls(b.minimumNumberOfCalls())
                .failureRateThreshold(b.failureRateThreshold())
                .slowCallRateThreshold(b.slowCallRateThreshold())
                .slowCallDurationThreshold(b.slowCallDurationThreshold())
                .waitDurationInOpenState(b.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(b.permittedCallsInHalfOpenState())
                // No timer thread moves an open breaker on (Resilience4j's would run on real time):
                // the balancer asks an open breaker for a permission, and the breaker's own clock
                // decides whether the wait is over (HsmNode.isCandidate).
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .currentTimestampFunction(c -> time.nanoTime(), TimeUnit.NANOSECONDS)
                .recordException(HsmNode::isHsmFailure)
                .writableStackTraceEnabled(false)
                .build();
        registry.remove(name);
        return registry.circuitBreaker(name, config);
    }

    /** Takes {@code breaker} out of the registry, unless a newer breaker has taken its name. */
    void remove(CircuitBreaker breaker) {
        registry.find(breaker.getName()).filter(b -> b == breaker).ifPresent(b -> registry.remove(b.getName()));
    }
}
