package dev.multislot.connector;

/**
 * What a slot does when an HSM answers "busy" ({@code HSM_BUSY}).
 *
 * <p>Failover after a lost connection, a timed-out attempt or an open circuit breaker is not
 * governed by this setting: requests that are safe to repeat always move to another HSM.
 */
public enum RetryMode {
    /**
     * Retry busy answers with exponential backoff and full jitter, up to
     * {@link SlotOptionsSpec#maxAttempts(int)} attempts in all, within the request timeout; then
     * fail with {@link dev.multislot.api.errors.HsmThrottledException}.
     */
    STANDARD,
    /**
     * Never retry a busy answer: the caller sees
     * {@link dev.multislot.api.errors.HsmThrottledException} at once and applies its own policy.
     */
    OFF
}
