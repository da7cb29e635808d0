package dev.multislot.connector;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of the circuit breaker that guards each HSM of a slot (a Resilience4j
 * count-based breaker).
 *
 * <p>The breaker looks at the last {@link #slidingWindowSize()} requests sent to its HSM. Once at
 * least {@link #minimumNumberOfCalls()} have been recorded, it opens when the share of failures
 * reaches {@link #failureRateThreshold()} percent, or the share of calls slower than
 * {@link #slowCallDurationThreshold()} reaches {@link #slowCallRateThreshold()} percent. An open
 * breaker sends its HSM no requests for {@link #waitDurationInOpenState()}; then up to
 * {@link #permittedCallsInHalfOpenState()} probe requests decide whether it closes again.
 *
 * <p>Failures are what the HSM or the network caused: a lost connection, a timed-out attempt, a
 * protocol error, a "busy" answer. Answers that reflect the caller's input (unknown key, wrong
 * password, invalid data) are not failures.
 *
 * <p>Immutable. Not hot-reloadable: a change applies to HSMs added to a slot afterwards (a new or
 * changed cluster).
 */
public final class BreakerSettings {

    /** Default {@link #slidingWindowSize()}: 50 calls. */
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 50;
    /** Default {@link #minimumNumberOfCalls()}: 20 calls. */
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 20;
    /** Default {@link #failureRateThreshold()}: 50 percent. */
    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;
    /** Default {@link #slowCallRateThreshold()}: 80 percent. */
    public static final float DEFAULT_SLOW_CALL_RATE_THRESHOLD = 80f;
    /** Default {@link #slowCallDurationThreshold()}: 2 seconds. */
    public static final Duration DEFAULT_SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(2);
    /** Default {@link #waitDurationInOpenState()}: 5 seconds. */
    public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(5);
    /** Default {@link #permittedCallsInHalfOpenState()}: 3 calls. */
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;

    private static final BreakerSettings DEFAULTS = builder().build();

    private final int slidingWindowSize;
    private final int minimumNumberOfCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final Duration slowCallDurationThreshold;
    private final Duration waitDurationInOpenState;
    private final int permittedCallsInHalfOpenState;

    private BreakerSettings(Builder b) {
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumNumberOfCalls = b.minimumNumberOfCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDurationThreshold = b.slowCallDurationThreshold;
        this.waitDurationInOpenState = b.waitDurationInOpenState;
        this.permittedCallsInHalfOpenState = b.permittedCallsInHalfOpenState;
    }

    /** The settings with every default. */
    public static BreakerSettings defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How many of the most recent calls the failure and slow-call rates are computed over. */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** How many calls must be recorded before the rates are looked at. */
    public int minimumNumberOfCalls() {
        return minimumNumberOfCalls;
    }

    /** The failure percentage (1-100) at which the breaker opens. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** The slow-call percentage (1-100) at which the breaker opens. */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** How long a call may take before it counts as slow. */
    public Duration slowCallDurationThreshold() {
        return slowCallDurationThreshold;
    }

    /** How long an open breaker refuses every call before it lets probes through. */
    public Duration waitDurationInOpenState() {
        return waitDurationInOpenState;
    }

    /** How many probe calls a half-open breaker lets through. */
    public int permittedCallsInHalfOpenState() {
        return permittedCallsInHalfOpenState;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakerSettings b
                && slidingWindowSize == b.slidingWindowSize
                && minimumNumberOfCalls == b.minimumNumberOfCalls
                && failureRateThreshold == b.failureRateThreshold
                && slowCallRateThreshold == b.slowCallRateThreshold
                && slowCallDurationThreshold.equals(b.slowCallDurationThreshold)
                && waitDurationInOpenState.equals(b.waitDurationInOpenState)
                && permittedCallsInHalfOpenState == b.permittedCallsInHalfOpenState;
    }

    @Override
    public int hashCode() {
        return Objects.hash(slidingWindowSize, minimumNumberOfCalls, failureRateThreshold, slowCallRateThreshold,
                slowCallDurationThreshold, waitDurationInOpenState, permittedCallsInHalfOpenState);
    }

    @Override
    public String toString() {
        return "BreakerSettings[window=" + slidingWindowSize + ", minCalls=" + minimumNumberOfCalls
                + ", failureRate=" + failureRateThreshold + "%, slowRate=" + slowCallRateThreshold
                + "%, slowCall=" + slowCallDurationThreshold + ", open=" + waitDurationInOpenState
                + ", halfOpenCalls=" + permittedCallsInHalfOpenState + "]";
    }

    /** Builds {@link BreakerSettings}; every setter checks its value at once. */
    public static final class Builder {
        private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
        private int minimumNumberOfCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
        private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
        private float slowCallRateThreshold = DEFAULT_SLOW_CALL_RATE_THRESHOLD;
        private Duration slowCallDurationThreshold = DEFAULT_SLOW_CALL_DURATION_THRESHOLD;
        private Duration waitDurationInOpenState = DEFAULT_WAIT_DURATION_IN_OPEN_STATE;
        private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

        private Builder() {
        }

        private Builder(BreakerSettings s) {
            slidingWindowSize = s.slidingWindowSize;
            minimumNumberOfCalls = s.minimumNumberOfCalls;
            failureRateThreshold = s.failureRateThreshold;
            slowCallRateThreshold = s.slowCallRateThreshold;
            slowCallDurationThreshold = s.slowCallDurationThreshold;
            waitDurationInOpenState = s.waitDurationInOpenState;
            permittedCallsInHalfOpenState = s.permittedCallsInHalfOpenState;
        }

        /** Calls the rates are computed over, 1 to 100,000; default {@value #DEFAULT_SLIDING_WINDOW_SIZE}. */
        public Builder slidingWindowSize(int calls) {
            this.slidingWindowSize = Checks.range("slidingWindowSize", calls, 1, 100_000);
            return this;
        }

        /** Calls recorded before the rates count, 1 to 100,000; default {@value #DEFAULT_MINIMUM_NUMBER_OF_CALLS}. */
        public Builder minimumNumberOfCalls(int calls) {
            this.minimumNumberOfCalls = Checks.range("minimumNumberOfCalls", calls, 1, 100_000);
            return this;
        }

        /** Failure percentage that opens the breaker, above 0 up to 100; default {@value #DEFAULT_FAILURE_RATE_THRESHOLD}. */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = Checks.percent("failureRateThreshold", percent);
            return this;
        }

        /** Slow-call percentage that opens the breaker, above 0 up to 100; default {@value #DEFAULT_SLOW_CALL_RATE_THRESHOLD}. */
        public Builder slowCallRateThreshold(float percent) {
            this.slowCallRateThreshold = Checks.percent("slowCallRateThreshold", percent);
            return this;
        }

        /** Duration above which a call is slow, positive; default {@link #DEFAULT_SLOW_CALL_DURATION_THRESHOLD} (2 s). */
        public Builder slowCallDurationThreshold(Duration threshold) {
            this.slowCallDurationThreshold = Checks.positive("slowCallDurationThreshold", threshold);
            return this;
        }

        /** How long the breaker stays open, positive; default {@link #DEFAULT_WAIT_DURATION_IN_OPEN_STATE} (5 s). */
        public Builder waitDurationInOpenState(Duration wait) {
            this.waitDurationInOpenState = Checks.positive("waitDurationInOpenState", wait);
            return this;
        }

        /** Probe calls in the half-open state, 1 to 1,000; default {@value #DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE}. */
        public Builder permittedCallsInHalfOpenState(int calls) {
            this.permittedCallsInHalfOpenState = Checks.range("permittedCallsInHalfOpenState", calls, 1, 1000);
            return this;
        }

        /** The settings; fails if the minimum number of calls exceeds the window. */
        public BreakerSettings build() {
            if (minimumNumberOfCalls > slidingWindowSize) {
                throw new IllegalArgumentException("minimumNumberOfCalls (" + minimumNumberOfCalls
                        + ") must not exceed slidingWindowSize (" + slidingWindowSize + ")");
            }
            return new BreakerSettings(this);
        }
    }
}
