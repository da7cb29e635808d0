package dev.multislot.connector.internal.metrics.micrometer;

import dev.multislot.connector.MetricsOptions;
import dev.multislot.connector.internal.metrics.ConnectorRecorder;
import dev.multislot.connector.internal.metrics.SlotRecorder;
import dev.multislot.connector.internal.slot.SlotImpl;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import reactor.netty.channel.ChannelMetricsRecorder;

/**
 * The connector's meters on a user's {@link MeterRegistry} (never the global one), and its
 * observations on a user's {@link ObservationRegistry}. Each registry may be absent.
 */
final class MicrometerRecorder implements ConnectorRecorder {

    static final String REQUESTS = "multislot.requests";
    static final String HSM_REQUESTS = "multislot.hsm.requests";
    static final String PENDING = "multislot.slot.pending";
    static final String IN_FLIGHT = "multislot.hsm.in_flight";
    static final String CONNECTIONS = "multislot.hsm.connections";
    static final String SLOTS = "multislot.slots";
    static final String RETRIES = "multislot.retries";
    static final String CONFIG_RELOADS = "multislot.config.reloads";
    static final String EVENTS_DROPPED = "multislot.events.dropped";
    static final String OBSERVATION = "multislot.request";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final MetricsOptions options;
    private final List<Meter> own = new CopyOnWriteArrayList<>();
    private final Counter applied;
    private final Counter rejected;
    private final ChannelMeters channels;

    MicrometerRecorder(MeterRegistry meters, ObservationRegistry observations, MetricsOptions options) {
        this.meters = meters;
        this.observations = observations == null || observations.isNoop() ? null : observations;
        this.options = options;
        this.channels = meters != null && options.reactorNettyMetrics() ? new ChannelMeters(meters) : null;
        if (meters != null) {
            applied = keep(Counter.builder(CONFIG_RELOADS).tag("outcome", "applied")
                    .description("Config updates from the config source that were applied").register(meters));
            rejected = keep(Counter.builder(CONFIG_RELOADS).tag("outcome", "rejected")
                    .description("Config updates rejected (the last good config stays in force)").register(meters));
        } else {
            applied = null;
            rejected = null;
        }
    }

    private <M extends Meter> M keep(M meter) {
        own.add(meter);
        return meter;
    }

    @Override
    public void bind(IntSupplier slotCount, LongSupplier droppedEvents, CircuitBreakerRegistry breakers) {
        if (meters == null) {
            return;
        }
        if (options.breakerMeters()) {
            BreakerMeters.bind(breakers, meters);
        }
        keep(Gauge.builder(SLOTS, slotCount, s -> s.getAsInt()).description("Slots the connector serves")
                .strongReference(true).register(meters));
        keep(FunctionCounter.builder(EVENTS_DROPPED, droppedEvents, d -> d.getAsLong())
                .description("Connector events dropped because a subscriber's buffer was full").register(meters));
    }

    @Override
    public SlotRecorder slotAdded(SlotImpl slot) {
        return new MicrometerSlotRecorder(slot, meters, observations, options);
    }

    @Override
    public void configReload(boolean ok) {
        if (meters != null) {
            (ok ? applied : rejected).increment();
        }
    }

    @Override
    public ChannelMetricsRecorder channelRecorder() {
        return channels;
    }

    @Override
    public void close() {
        if (meters != null) {
            for (Meter m : own) {
                meters.remove(m);
            }
            own.clear();
            if (channels != null) {
                channels.close();
            }
        }
    }
}
