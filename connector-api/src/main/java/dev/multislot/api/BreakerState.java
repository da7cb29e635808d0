package dev.multislot.api;

/**
 * The state of the circuit breaker that guards one HSM.
 */
public enum BreakerState {
    /** Requests flow; failures and slow calls are counted. */
    CLOSED,
    /** Too many recent failures or slow calls: the HSM gets no requests until a wait has passed. */
    OPEN,
    /** The wait has passed: a few probe requests decide whether to close or open again. */
    HALF_OPEN
}
