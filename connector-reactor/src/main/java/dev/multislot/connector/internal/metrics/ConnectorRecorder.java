package dev.multislot.connector.internal.metrics;

import dev.multislot.connector.internal.slot.SlotImpl;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import reactor.netty.channel.ChannelMetricsRecorder;

/**
 * Where a connector reports what it does, for meters and observations. The default,
 * {@link #NOOP}, does nothing, so a connector built without a Micrometer registry pays one
 * interface call per report and loads no Micrometer class. Every method is called from
 * connector threads (event loops, the timer, the registry thread) and must not block.
 */
public interface ConnectorRecorder {

    /** Records nothing. */
    ConnectorRecorder NOOP = new ConnectorRecorder() {
        @Override
        public void bind(IntSupplier slotCount, LongSupplier droppedEvents, CircuitBreakerRegistry breakers) {
        }

        @Override
        public SlotRecorder slotAdded(SlotImpl slot) {
            return SlotRecorder.NOOP;
        }

        @Override
        public void configReload(boolean applied) {
        }

        @Override
        public ChannelMetricsRecorder channelRecorder() {
            return null;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Called once, when the connector is built: connector-wide values, read when a meter is read,
     * and the registry of the HSMs' breakers (whose meters follow its breakers as they come and go).
     */
    void bind(IntSupplier slotCount, LongSupplier droppedEvents, CircuitBreakerRegistry breakers);

    /** A slot was created; its meters live until {@link SlotRecorder#close()}. */
    SlotRecorder slotAdded(SlotImpl slot);

    /** A config update from the config source was applied, or rejected. */
    void configReload(boolean applied);

    /** Where Reactor Netty records each connection's own meters, or null for none (the default). */
    ChannelMetricsRecorder channelRecorder();

    /** The connector closed: every meter it registered is removed. */
    void close();
}
