package dev.multislot.connector;

import java.util.Arrays;

/**
 * How the connector records meters on the {@code MeterRegistry} given to
 * {@link ReactorHsmConnector.Builder#meterRegistry}. Immutable; fixed when the connector
 * is built. Without a registry these options change nothing (and nothing is recorded).
 *
 * <pre>{@code
 * MetricsOptions.builder().percentileHistogram(true).hsmTimers(false).build()
 * }</pre>
 */
public final class MetricsOptions {

    /** Default: no histogram buckets on the timers (one count, sum and max per series). */
    public static final boolean DEFAULT_PERCENTILE_HISTOGRAM = false;
    /** Default: the per-attempt timer {@code multislot.hsm.requests} is recorded. */
    public static final boolean DEFAULT_HSM_TIMERS = true;
    /** Default: Reactor Netty's own connection and TLS meters are not recorded. */
    public static final boolean DEFAULT_REACTOR_NETTY_METRICS = false;
    /** Default: the HSMs' circuit breakers are metered through resilience4j-micrometer. */
    public static final boolean DEFAULT_BREAKER_METERS = true;

    private static final MetricsOptions DEFAULTS = builder().build();

    private final boolean percentileHistogram;
    private final double[] percentiles;
    private final boolean hsmTimers;
    private final boolean reactorNettyMetrics;
    private final boolean breakerMeters;

    private MetricsOptions(Builder b) {
        this.percentileHistogram = b.percentileHistogram;
        this.percentiles = b.percentiles.clone();
        this.hsmTimers = b.hsmTimers;
        this.reactorNettyMetrics = b.reactorNettyMetrics;
        this.breakerMeters = b.breakerMeters;
    }

    public static MetricsOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the request timers publish histogram buckets (for server-side percentiles). */
    public boolean percentileHistogram() {
        return percentileHistogram;
    }

    /** Client-side percentiles published by the request timers (empty: none). */
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** Whether {@code multislot.hsm.requests} is recorded (one series per HSM and outcome). */
    public boolean hsmTimers() {
        return hsmTimers;
    }

    /** Whether Reactor Netty's connection and TLS meters are recorded on the same registry. */
    public boolean reactorNettyMetrics() {
        return reactorNettyMetrics;
    }

    /**
     * Whether the breakers in the connector's {@code CircuitBreakerRegistry} are bound to the
     * registry with resilience4j-micrometer ({@code resilience4j.circuitbreaker.state}, {@code .calls},
     * {@code .failure.rate}, ...; tag {@code name} = {@code <cluster-id>/<host>:<port>}).
     */
    public boolean breakerMeters() {
        return breakerMeters;
    }

    @Override
    public String toString() {
        return "MetricsOptions[percentileHistogram=" + percentileHistogram + ", percentiles=" + Arrays.toString(percentiles)
                + ", hsmTimers=" + hsmTimers + ", reactorNettyMetrics=" + reactorNettyMetrics
                + ", breakerMeters=" + breakerMeters + "]";
    }

    /** Builds {@link MetricsOptions}; every setter states its default. */
    public static final class Builder {
        private boolean percentileHistogram = DEFAULT_PERCENTILE_HISTOGRAM;
        private double[] percentiles = new double[0];
        private boolean hsmTimers = DEFAULT_HSM_TIMERS;
        private boolean reactorNettyMetrics = DEFAULT_REACTOR_NETTY_METRICS;
        private boolean breakerMeters = DEFAULT_BREAKER_METERS;

        private Builder() {
        }

        /** Histogram buckets on {@code multislot.requests} and {@code multislot.hsm.requests}; default off. */
        public Builder percentileHistogram(boolean on) {
            this.percentileHistogram = on;
            return this;
        }

        /** Client-side percentiles, each in (0, 1), e.g. {@code 0.5, 0.99}; default none. */
        public Builder percentiles(double... percentiles) {
            for (double p : percentiles) {
                if (!(p > 0 && p < 1)) {
                    throw new IllegalArgumentException("a percentile must be between 0 and 1 (exclusive), was " + p);
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /** Whether to record the per-HSM attempt timer; default on. Off bounds cardinality to slots. */
        public Builder hsmTimers(boolean on) {
            this.hsmTimers = on;
            return this;
        }

        /** Reactor Netty's connection meters ({@code reactor.netty.*}) on the same registry; default off. */
        public Builder reactorNettyMetrics(boolean on) {
            this.reactorNettyMetrics = on;
            return this;
        }

        /**
         * The breakers' meters through resilience4j-micrometer; default on. Each metered breaker
         * builds an event object per call (that is how resilience4j-micrometer counts calls), so
         * turning this off saves that allocation on the request path.
         */
        public Builder breakerMeters(boolean on) {
            this.breakerMeters = on;
            return this;
        }

        public MetricsOptions build() {
            return new MetricsOptions(this);
        }
    }
}
