package dev.multislot.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One application's connection to many HSM clusters, one {@link Slot} per cluster.
 *
 * <p>The connector follows its {@link dev.multislot.api.spi.ClusterConfigSource}: when a cluster
 * is added to the config, a slot appears; when one is removed, its slot stops taking requests,
 * lets the requests it already holds finish (up to a grace period) and disappears. No restart is
 * needed, and slots that the change does not touch are not disturbed.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>No method blocks; all of them may be called from any thread, event loops included.</li>
 *   <li>{@link #slots()} is a consistent snapshot in config order.</li>
 *   <li>A slot keeps its {@link SlotId} for as long as its cluster stays configured.</li>
 * </ul>
 *
 * <pre>{@code
 * HsmConnector connector = ReactorHsmConnector.builder()
 *         .configSource(FileClusterConfigSource.watch(Path.of("/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg")))
 *         .build()
 *         .connect().block();
 * Mono<byte[]> signature = connector.slot(ClusterId.of("cluster-1234567")).orElseThrow()
 *         .login(Credentials.fromPin("crypto_user:secret".toCharArray()))
 *         .flatMap(session -> session.sign(key, SignatureAlgorithm.ECDSA_SHA256, data));
 * }</pre>
 */
public interface HsmConnector extends AutoCloseable {

    /** The slots in force now, in config order ({@link Slot#index()} 0, 1, ...). */
    List<Slot> slots();

    /** The slot of a cluster, if that cluster is configured now. */
    Optional<Slot> slot(ClusterId clusterId);

    /** The slot with this id, if it is still configured. */
    Optional<Slot> slot(SlotId slotId);

    /**
     * The slot of a cluster, or an error {@link dev.multislot.api.errors.SlotNotFoundException}
     * that lists the configured cluster ids. Convenient at the start of a reactive chain.
     */
    Mono<Slot> requireSlot(ClusterId clusterId);

    /**
     * Everything that happens to slots and HSMs: slots added and removed, HSMs up and down,
     * breaker transitions, config files rejected.
     *
     * <p>The flux is hot: a subscriber sees the events that happen after it subscribes, never
     * the past ones (call {@link #slots()} for the current state). Each subscriber has its own
     * bounded buffer; a subscriber too slow to keep up loses the oldest events it has not taken
     * (counted by {@link #droppedEventCount()}) and never slows the connector down. The flux
     * completes when the connector is closed.
     */
    Flux<SlotEvent> events();

    /** How many events slow subscribers of {@link #events()} have lost since the start. */
    long droppedEventCount();

    /**
     * Stops taking requests, lets in-flight ones finish for up to {@code gracePeriod}, fails the
     * rest with {@link dev.multislot.api.errors.ConnectorClosedException} and closes every
     * connection. Completes when all is closed. Calling it again returns the same result.
     */
    Mono<Void> close(Duration gracePeriod);

    /** Closes with the connector's default grace period, waiting at most for that period. */
    @Override
    void close();
}
