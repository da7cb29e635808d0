package dev.multislot.connector.internal.metrics.micrometer;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HSMs' breakers on the meter registry, through resilience4j-micrometer when it is on the
 * class path (an optional dependency, like Micrometer itself): its classes are named only in
 * {@link Binder}, which is loaded only after the check.
 */
final class BreakerMeters {

    private static final Logger log = LoggerFactory.getLogger(BreakerMeters.class);
    /** By name, not by class literal: a class literal would load the class this checks for. */
    private static final String TAGGED_METRICS = "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics";

    private BreakerMeters() {
    }

    /** Meters for every breaker in {@code breakers}, added and removed as breakers come and go. */
    static void bind(CircuitBreakerRegistry breakers, MeterRegistry meters) {
        if (!present()) {
            log.info("resilience4j-micrometer is not on the class path: the HSMs' circuit breakers get no meters "
                    + "(add io.github.resilience4j:resilience4j-micrometer, or set MetricsOptions.breakerMeters(false))");
            return;
        }
        Binder.bind(breakers, meters);
    }

    private static boolean present() {
        try {
            Class.forName(TAGGED_METRICS, false, BreakerMeters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static final class Binder {
        static void bind(CircuitBreakerRegistry breakers, MeterRegistry meters) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        }
    }
}
