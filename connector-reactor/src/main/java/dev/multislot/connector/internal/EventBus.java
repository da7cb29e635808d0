package dev.multislot.connector.internal;

import dev.multislot.api.SlotEvent;
import dev.multislot.connector.internal.slot.EventSink;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The connector's hot event stream.
 *
 * <p>Any thread may publish; publications are serialized by a work-in-progress counter (the
 * thread that finds it at zero emits everything queued), so publishing never blocks and never
 * spins. Each subscriber gets its own bounded buffer that drops its oldest event when full
 * (counted), and receives events on a separate scheduler, so a slow or blocking subscriber delays
 * only itself.
 */
final class EventBus implements EventSink {

    private static final Object COMPLETE = new Object();

    private final Sinks.Many<SlotEvent> sink = Sinks.unsafe().many().multicast().directBestEffort();
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final int bufferSize;

    EventBus(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    @Override
    public void publish(SlotEvent event) {
        queue.offer(event);
        drain();
    }

    void complete() {
        queue.offer(COMPLETE);
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            Object item;
            while ((item = queue.poll()) != null) {
                if (item == COMPLETE) {
                    sink.tryEmitComplete();
                } else {
                    sink.tryEmitNext((SlotEvent) item);
                }
            }
        } while (wip.decrementAndGet() != 0);
    }

    Flux<SlotEvent> events() {
        return sink.asFlux()
                .onBackpressureBuffer(bufferSize, e -> dropped.increment(), BufferOverflowStrategy.DROP_OLDEST)
                .publishOn(Schedulers.boundedElastic(), 32);
    }

    long dropped() {
        return dropped.sum();
    }
}
