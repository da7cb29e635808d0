package dev.multislot.connector.internal.metrics.micrometer;

import dev.multislot.connector.MetricsOptions;
import dev.multislot.connector.internal.metrics.ConnectorRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

/**
 * The one door from the connector to Micrometer. The builder keeps the registries as plain
 * objects and calls this class only when one was given, so that without Micrometer on the class
 * path no Micrometer class is ever loaded.
 */
public final class MicrometerSupport {

    private MicrometerSupport() {
    }

    /**
     * A recorder on the given registries; either may be null (meters only, or observations only).
     */
    public static ConnectorRecorder recorder(Object meterRegistry, Object observationRegistry, MetricsOptions options) {
        return new MicrometerRecorder((MeterRegistry) meterRegistry, (ObservationRegistry) observationRegistry, options);
    }
}
