package dev.multislot.api.spi;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Finds a cluster's HSMs, as {@code DescribeClusters} does.
 *
 * <p>Contract: never blocks the subscribing thread; fails with a
 * {@link dev.multislot.api.errors.DiscoveryException} subclass whose message says what to do
 * next; a cluster absent from the answer is a
 * {@link dev.multislot.api.errors.ClusterNotFoundException}.
 */
public interface ClusterDiscovery extends AutoCloseable {

    /** Describes one cluster. */
    Mono<DiscoveredCluster> discover(DiscoveryRequest request);

    /**
     * Describes many clusters at once, concurrently: the whole takes about as long as the slowest
     * one, not the sum. Results come in completion order; the first failure ends the flux.
     */
    default Flux<DiscoveredCluster> discoverAll(List<DiscoveryRequest> requests) {
        return Flux.fromIterable(requests).flatMap(this::discover, Math.max(1, requests.size()));
    }

    /** Releases the clients this discovery holds. */
    @Override
    void close();
}
