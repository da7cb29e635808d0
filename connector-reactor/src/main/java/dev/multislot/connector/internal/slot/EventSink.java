package dev.multislot.connector.internal.slot;

import dev.multislot.api.SlotEvent;

/** Where slots publish their events; never blocks, may be called from any thread. */
@FunctionalInterface
public interface EventSink {

    void publish(SlotEvent event);
}
