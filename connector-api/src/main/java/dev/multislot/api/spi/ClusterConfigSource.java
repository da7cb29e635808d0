package dev.multislot.api.spi;

import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Where a connector learns which clusters to serve.
 *
 * <p>Contract for implementations: {@link #updates()} emits the config in force first (a
 * {@link ConfigUpdate.Loaded} whose diff adds every cluster, or a {@link ConfigUpdate.Rejected}
 * if there is no valid config yet), then one item per change; it never emits an error for a bad
 * config (that is a {@code Rejected} item) and completes only when the source is closed. It must
 * not block the subscribing thread. Each subscriber gets its own sequence starting from the
 * config in force.
 */
public interface ClusterConfigSource extends AutoCloseable {

    /** The config in force, then every change; see the interface contract. */
    Flux<ConfigUpdate> updates();

    /** Stops watching; every {@link #updates()} flux completes. */
    @Override
    void close();

    /** A fixed config that never changes, for tests and for programs that build their config in code. */
    static ClusterConfigSource fixed(List<ClusterConfig> clusters) {
        List<ClusterConfig> copy = List.copyOf(clusters);
        return new ClusterConfigSource() {
            @Override
            public Flux<ConfigUpdate> updates() {
                return Flux.<ConfigUpdate>just(new ConfigUpdate.Loaded("fixed", copy, ConfigDiff.between(List.of(), copy)))
                        .concatWith(Flux.never());
            }

            @Override
            public void close() {
            }
        };
    }
}
