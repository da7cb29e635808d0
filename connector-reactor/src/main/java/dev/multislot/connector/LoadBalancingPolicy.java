package dev.multislot.connector;

import dev.multislot.api.ClusterId;
import java.util.List;

/**
 * Chooses which HSM of a slot takes a request, and hears about the slot's HSMs as they come and
 * go (the hooks of the Cassandra driver's policies).
 *
 * <p><b>Choosing.</b> A slot calls {@link #pick(List)} once per attempt with the HSMs that can
 * take the request now: connected, with the slot's login, and with a breaker that lets the
 * request through. HSMs that already failed this request are left out. {@code pick} runs on the
 * request path, often on a Netty event loop: it must be fast, must not block, and may be called
 * from many threads at once. Returning a position outside the list, or throwing, fails that
 * request with an {@link IllegalStateException} naming the policy; it is never silently replaced
 * by a default.
 *
 * <p><b>Lifecycle.</b> One policy instance serves every slot of a connector. The hooks run on the
 * connector's registry thread, one at a time and in the order the events happened (never two hooks
 * at once, but concurrently with {@code pick}): {@link #init} when a slot starts, then
 * {@link #onAdd}, {@link #onUp}, {@link #onDown} and {@link #onRemove} for its HSMs, and
 * {@link #close} when the connector closes. They must not block either. All have empty defaults,
 * so a stateless policy implements only {@code pick}. A hook that throws is logged and does not
 * stop the connector.
 *
 * <p>Two policies ship: {@link #powerOfTwoChoices()} (the default) and {@link #zoneAware(String)}.
 * docs/connector.md shows how to write one.
 */
@FunctionalInterface
public interface LoadBalancingPolicy {

    /**
     * A slot started with these HSMs (none of them connected yet).
     *
     * @param slot the slot's cluster
     * @param hsms its HSMs; the policy may keep the elements, not the list
     */
    default void init(ClusterId slot, List<? extends HsmCandidate> hsms) {
    }

    /** An HSM joined a running slot (config change or topology refresh); it is not connected yet. */
    default void onAdd(HsmCandidate hsm) {
    }

    /** An HSM has a connection again (or for the first time). */
    default void onUp(HsmCandidate hsm) {
    }

    /** An HSM lost its last connection or failed to connect. */
    default void onDown(HsmCandidate hsm) {
    }

    /** An HSM left its slot, or its slot left the connector; no later call mentions it. */
    default void onRemove(HsmCandidate hsm) {
    }

    /**
     * Chooses a candidate.
     *
     * @param candidates at least two HSMs of one slot (with one, the slot takes it without asking);
     *     the list is only valid during this call
     * @return the position in {@code candidates} of the HSM to use
     */
    int pick(List<? extends HsmCandidate> candidates);

    /** The connector is closing; no later call is made. */
    default void close() {
    }

    /** The default policy: the less loaded of two random candidates. */
    static LoadBalancingPolicy powerOfTwoChoices() {
        return PowerOfTwoChoices.INSTANCE;
    }

    /**
     * HSMs in {@code localZone} first: the less loaded of two random candidates among those in
     * that zone, and among all candidates only when no HSM of that zone can take the request (down,
     * breaker open, or already failed this request). An HSM whose zone is unknown counts as not in
     * {@code localZone}, so with no zone known at all this is power-of-two-choices over every HSM.
     *
     * @param localZone the caller's availability zone, e.g. {@code eu-west-1a}
     */
    static LoadBalancingPolicy zoneAware(String localZone) {
        return new ZoneAwarePolicy(localZone);
    }
}
