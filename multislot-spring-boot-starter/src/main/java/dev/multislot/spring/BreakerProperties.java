package dev.multislot.spring;

import java.time.Duration;

/**
 * Each HSM's circuit breaker, as Spring properties ({@code multislot.breaker.*} and
 * {@code multislot.slots.<cluster-id>.breaker.*}); unset fields keep
 * {@link dev.multislot.connector.BreakerSettings}' defaults or the top-level value.
 */
public class BreakerProperties {

    /** Calls the failure and slow-call rates are computed over. */
    private Integer slidingWindowSize;
    /** Calls needed in the window before the breaker may open. */
    private Integer minimumNumberOfCalls;
    /** Failure rate, in percent, at which the breaker opens. */
    private Float failureRateThreshold;
    /** Slow-call rate, in percent, at which the breaker opens. */
    private Float slowCallRateThreshold;
    /** How long an answer may take before the call counts as slow. */
    private Duration slowCallDurationThreshold;
    /** How long the breaker stays open before it lets probe calls through. */
    private Duration waitDurationInOpenState;
    /** Probe calls let through while half-open. */
    private Integer permittedCallsInHalfOpenState;

    public Integer getSlidingWindowSize() {
        return slidingWindowSize;
    }

    public void setSlidingWindowSize(Integer slidingWindowSize) {
        this.slidingWindowSize = slidingWindowSize;
    }

    public Integer getMinimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
        this.minimumNumberOfCalls = minimumNumberOfCalls;
    }

    public Float getFailureRateThreshold() {
        return failureRateThreshold;
    }

    public void setFailureRateThreshold(Float failureRateThreshold) {
        this.failureRateThreshold = failureRateThreshold;
    }

    public Float getSlowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
        this.slowCallRateThreshold = slowCallRateThreshold;
    }

    public Duration getSlowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
        this.slowCallDurationThreshold = slowCallDurationThreshold;
    }

    public Duration getWaitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
        this.waitDurationInOpenState = waitDurationInOpenState;
    }

    public Integer getPermittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    public void setPermittedCallsInHalfOpenState(Integer permittedCallsInHalfOpenState) {
        this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
    }
}
