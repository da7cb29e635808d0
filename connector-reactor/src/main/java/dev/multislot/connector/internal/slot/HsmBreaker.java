package dev.multislot.connector.internal.slot;

import dev.multislot.api.BreakerState;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.connector.SlotOptions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HSM's circuit breaker, as its slot sees it: the Resilience4j breaker in the connector's
 * registry (which keeps its own timing), the transitions it makes, logged and published once
 * each, and the typed refusal a caller gets while it is open.
 *
 * <p>No event consumer is registered on the breaker: with one, Resilience4j builds an event object
 * (with a ZonedDateTime) for every call. Transitions are observed instead, right after each call
 * ends and whenever the balancer looks at the HSM ({@link #observe()}).
 */
final class HsmBreaker {

    private static final Logger log = LoggerFactory.getLogger(HsmBreaker.class);

    private final HsmNode node;
    private final CircuitBreaker breaker;
    private final Duration openWait;
    private final AtomicReference<CircuitBreaker.State> observed = new AtomicReference<>(CircuitBreaker.State.CLOSED);

    HsmBreaker(HsmNode node, SlotOptions options) {
        this.node = node;
        this.openWait = options.breaker().waitDurationInOpenState();
        this.breaker = node.slot().context().breakers().create(node.clusterId(), node.address(), options.breaker());
    }

    /** The Resilience4j breaker, which the request path asks and tells directly. */
    CircuitBreaker circuitBreaker() {
        return breaker;
    }

    BreakerState state() {
        return toApi(breaker.getState());
    }

    /**
     * Whether a request may be sent now. An open breaker is asked for a permission (and given it
     * back): its own clock decides whether the open wait is over, which moves it to half-open.
     * Resilience4j counts a refused ask as a call not permitted, which it is: a request that
     * skipped this HSM.
     */
    boolean admitsRequests() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.OPEN && breaker.tryAcquirePermission()) {
            breaker.releasePermission();
            s = breaker.getState();
        }
        if (s != observed.get()) {
            observe();
        }
        return !refusesAll(s);
    }

    /** Whether it refuses every request now (open, forced open). */
    boolean isOpen() {
        return refusesAll(breaker.getState());
    }

    private static boolean refusesAll(CircuitBreaker.State s) {
        return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /** The typed refusal of this breaker, in the state it is in now. */
    HsmBreakerOpenException refusal(String message) {
        return new HsmBreakerOpenException(message, node.clusterId(), node.address(), breaker.getName(), state());
    }

    /** The refusal of an open breaker: how long it refuses, then what. */
    HsmBreakerOpenException openRefusal() {
        return refusal("circuit breaker open: no requests for " + openWait.toMillis()
                + " ms after it opened, then a few probes");
    }

    /**
     * An HSM with no connection left is known to be failing: its breaker opens at once instead of
     * waiting for enough failed requests to fill its window, which at low traffic may never happen.
     */
    void openForDownHsm() {
        CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.CLOSED || s == CircuitBreaker.State.HALF_OPEN) {
            breaker.transitionToOpenState();
            observe();
        }
    }

    /**
     * The HSM answers again: a few probe requests (half-open) decide whether its breaker closes,
     * rather than the remainder of an open wait that began while it was unreachable.
     */
    void probeAfterReconnect() {
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToHalfOpenState();
            observe();
        }
    }

    /** Publishes a transition if the state differs from the last one seen; cheap when it does not. */
    void observe() {
        CircuitBreaker.State seen = observed.get();
        CircuitBreaker.State now = breaker.getState();
        if (now != seen && observed.compareAndSet(seen, now)) {
            onTransition(seen, now);
        }
    }

    /** Takes the breaker out of the connector's registry: its HSM left. */
    void remove() {
        node.slot().context().breakers().remove(breaker);
    }

    private void onTransition(CircuitBreaker.State from, CircuitBreaker.State to) {
        BreakerState apiFrom = toApi(from);
        BreakerState apiTo = toApi(to);
        if (apiFrom == apiTo) {
            return;
        }
        SlotImpl slot = node.slot();
        if (apiTo == BreakerState.OPEN) {
            CircuitBreaker.Metrics m = breaker.getMetrics();
            // Resilience4j reports -1 until the window holds its minimum number of calls: the breaker was
            // then opened for the HSM going down, not by its rates.
            if (m.getFailureRate() < 0) {
                log.warn("{} HSM {}: circuit breaker opened (the HSM is down); no requests for {}",
                        slot.clusterId(), node.address(), openWait);
            } else {
                log.warn("{} HSM {}: circuit breaker opened (failure rate {}%, slow-call rate {}%); no requests for {}",
                        slot.clusterId(), node.address(), m.getFailureRate(), m.getSlowCallRate(), openWait);
            }
        } else {
            log.info("{} HSM {}: circuit breaker {} -> {}", slot.clusterId(), node.address(), apiFrom, apiTo);
        }
        slot.publish(new SlotEvent.BreakerStateChanged(slot.now(), slot.id(), slot.clusterId(), node.address(),
                apiFrom, apiTo));
    }

    private static BreakerState toApi(CircuitBreaker.State s) {
        return switch (s) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }
}
