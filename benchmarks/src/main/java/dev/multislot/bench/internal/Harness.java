package dev.multislot.bench.internal;

import java.time.Duration;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How a batch of requests is driven, the same for the connector and the floor so that each ratio
 * compares clients driven alike. {@code call.apply(i)} makes the request for operation {@code i}
 * (a cold {@link Mono}: nothing is sent before it is subscribed); the batch ends when every one
 * has answered. Latency is taken from subscribe to answer, by the driver, for every client alike.
 */
public enum Harness {

    /**
     * {@code Flux.range(0, n).flatMap(i -> call(i).doOnNext(record latency), inFlight)}: what an
     * application using the reactive API writes. Its own cost per request (an inner subscriber, a
     * lambda, a boxed index, the drain loop) is paid by both clients.
     */
    FLATMAP("flatmap") {
        @Override
        public void run(int operations, int inFlight, IntFunction<Mono<?>> call, LatencyRecorder latency,
                Duration timeout) {
            Flux.range(0, operations)
                    .flatMap(i -> timed(call.apply(i), latency), inFlight)
                    .then()
                    .block(timeout);
        }
    },

    /**
     * No operator between the caller and the client: {@code inFlight} reusable subscribers, each of
     * which subscribes the next request when its previous one completes, so exactly
     * {@code inFlight} requests are in flight until the batch runs out and the driver allocates
     * nothing per request ({@link WindowDriver}).
     */
    WINDOW("window") {
        @Override
        public void run(int operations, int inFlight, IntFunction<Mono<?>> call, LatencyRecorder latency,
                Duration timeout) {
            new WindowDriver(operations, inFlight, call, latency).run(timeout);
        }
    };

    private final String label;

    Harness(String label) {
        this.label = label;
    }

    /** The name summary.json gives it ({@code flatmap}, {@code window}). */
    public String label() {
        return label;
    }

    /**
     * Performs {@code operations} requests, {@code inFlight} at a time, and returns when all have
     * answered.
     *
     * @throws IllegalStateException if a request fails or the batch takes longer than {@code timeout}
     */
    public abstract void run(int operations, int inFlight, IntFunction<Mono<?>> call, LatencyRecorder latency,
            Duration timeout);

    @SuppressWarnings("unchecked")
    private static Mono<Object> timed(Mono<?> request, LatencyRecorder latency) {
        long t0 = System.nanoTime();
        return ((Mono<Object>) request).doOnNext(v -> latency.record(System.nanoTime() - t0));
    }
}
