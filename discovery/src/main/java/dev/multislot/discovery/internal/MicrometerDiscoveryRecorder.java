package dev.multislot.discovery.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@code multislot.discovery} on a user's registry. Loaded only when a registry was given to the
 * builder; a lookup is rare, so the timer is looked up by its tags at each call.
 */
public final class MicrometerDiscoveryRecorder implements DiscoveryRecorder {

    private final MeterRegistry registry;

    private MicrometerDiscoveryRecorder(MeterRegistry registry) {
        this.registry = registry;
    }

    /** @param registry a {@code MeterRegistry}, typed Object so that callers need no Micrometer class */
    public static DiscoveryRecorder of(Object registry) {
        return new MicrometerDiscoveryRecorder((MeterRegistry) registry);
    }

    @Override
    public void describeClusters(String region, long nanos, Throwable error) {
        Timer.builder("multislot.discovery").tag("region", region).tag("outcome", DiscoveryRecorder.outcome(error))
                .description("DescribeClusters calls (one per page), SDK retries included")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
