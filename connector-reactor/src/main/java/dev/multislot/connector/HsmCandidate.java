package dev.multislot.connector;

import dev.multislot.api.HsmAddress;

/**
 * One HSM that a {@link LoadBalancingPolicy} may choose: connected, enabled, and with a circuit
 * breaker that lets requests through.
 */
public interface HsmCandidate {

    /** The HSM's address. */
    HsmAddress address();

    /** Requests sent to this HSM (by any caller of the slot) and not yet answered. */
    int inFlight();
}
