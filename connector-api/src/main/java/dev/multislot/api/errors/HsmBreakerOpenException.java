package dev.multislot.api.errors;

import dev.multislot.api.BreakerState;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.Objects;

/**
 * An HSM's circuit breaker refused a request: recent attempts on that HSM failed or were slow
 * often enough that the connector stopped sending it requests for a while, or its probe requests
 * are already in flight.
 *
 * <p>The request never left this client, so it is always safe to try elsewhere; the connector
 * does that itself with the slot's other HSMs, and this error reaches the caller only inside a
 * {@link SlotUnavailableException} (as one HSM's reason) when no HSM could take the request.
 * It names the slot ({@link #clusterId()}), the HSM ({@link #hsm()}), the breaker's name and its
 * {@link #breakerState() state} at the time of the refusal.
 */
public class HsmBreakerOpenException extends HsmConnectionException {

    private final BreakerState breakerState;
    private final String breakerName;

    public HsmBreakerOpenException(String message, ClusterId clusterId, HsmAddress hsm, String breakerName,
                                   BreakerState breakerState) {
        super(message + " (circuit breaker " + breakerName + " " + breakerState + ")", clusterId, hsm);
        this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
        this.breakerState = Objects.requireNonNull(breakerState, "breakerState");
    }

    /** The breaker's state when it refused: {@link BreakerState#OPEN}, or {@link BreakerState#HALF_OPEN} with its probes taken. */
    public BreakerState breakerState() {
        return breakerState;
    }

    /** The breaker's name in the connector's {@code CircuitBreakerRegistry}: {@code <cluster-id>/<host>:<port>}. */
    public String breakerName() {
        return breakerName;
    }
}
