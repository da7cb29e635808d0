package dev.multislot.connector;

import java.util.List;

/**
 * Chooses which HSM of a slot takes a request.
 *
 * <p>A slot calls {@link #pick(List)} once per attempt with the HSMs that can take the request
 * now: connected, enabled, with the slot's login, and with a breaker that is not open. HSMs that
 * already failed this request are left out. The method runs on the request path, often on a
 * Netty event loop: it must be fast, must not block, and may be called from many threads at once.
 *
 * <p>The default ({@link #powerOfTwoChoices()}) picks two candidates at random and takes the one
 * with fewer requests in flight, which spreads load about as well as "least loaded" without
 * herding every caller onto the same HSM.
 */
@FunctionalInterface
public interface LoadBalancingPolicy {

    /**
     * Chooses a candidate.
     *
     * @param candidates at least one HSM; the list is only valid during this call
     * @return the position in {@code candidates} of the HSM to use
     */
    int pick(List<? extends HsmCandidate> candidates);

    /** The default policy: the less loaded of two random candidates. */
    static LoadBalancingPolicy powerOfTwoChoices() {
        return dev.multislot.connector.internal.slot.PowerOfTwoChoices.INSTANCE;
    }
}
