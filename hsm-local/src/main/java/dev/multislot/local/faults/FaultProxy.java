package dev.multislot.local.faults;

import dev.multislot.local.internal.proxy.FaultSettings;
import dev.multislot.local.internal.proxy.ProxiedConnection;
import dev.multislot.local.internal.proxy.ProxyServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A TCP proxy on loopback that puts network faults between a client and one HSM, switched at
 * runtime. Point the client's config at {@link #host()}:{@link #port()} instead of the HSM's
 * address; the proxy listens on the HSM's own loopback address (an ephemeral port), so the HSM's
 * certificate still names the host the client dials.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(hsm.host(), hsm.port())) {
 *     ServerConfig server = new ServerConfig(proxy.host(), proxy.port(), true);
 *     ...
 *     proxy.latency(Duration.ofMillis(50), Duration.ofMillis(20));   // every chunk, each way
 *     proxy.stall();                                                 // nothing forwarded, nothing closed
 *     proxy.heal();                                                  // all lasting faults off
 *     proxy.resetMidFrame(Direction.TO_CLIENT);                      // open connections: half a chunk, then RST
 * }
 * }</pre>
 *
 * <p>Lasting faults ({@link #latency}, {@link #bandwidth}, {@link #stall}, {@link #oneByteAtATime})
 * hold for every connection, open or new, until {@link #heal()}; they combine. One-shot faults
 * ({@link #resetMidFrame}, {@link #halfClose}, {@link #flipNextByte}) hit what is open or next
 * through, once. The proxy is non-blocking (one Netty event loop of its own), keeps byte order,
 * and holds at most 256 KiB per connection and direction before it stops reading, so a peer
 * that does not read makes the other side wait, as TCP would. Counters ({@link #connectionsAccepted()},
 * {@link #bytesForwarded}, ...) let tests await the fault's effect instead of sleeping.
 *
 * <p>Thread-safe. Only loopback addresses are accepted.
 */
public final class FaultProxy implements AutoCloseable {

    private final ProxyServer server;

    private FaultProxy(ProxyServer server) {
        this.server = server;
    }

    /**
     * Starts a proxy to {@code targetHost:targetPort}, listening on the same loopback host.
     * Blocks until it listens.
     *
     * @throws IllegalArgumentException if the host is not a loopback address or the port is out of range
     */
    public static FaultProxy start(String targetHost, int targetPort) {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("targetPort must be 1-65535, was " + targetPort);
        }
        InetSocketAddress target = new InetSocketAddress(targetHost, targetPort);
        if (target.isUnresolved() || !target.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the fault proxy works on loopback only; " + targetHost + " is not a loopback address");
        }
        InetSocketAddress bind = new InetSocketAddress(target.getAddress(), 0);
        return new FaultProxy(ProxyServer.start(bind, target, "fault-proxy-" + targetPort));
    }

    /** The host to dial: the target's loopback address. */
    public String host() {
        return server.address().getAddress().getHostAddress();
    }

    /** The proxy's port (ephemeral). */
    public int port() {
        return server.address().getPort();
    }

    /** Every chunk waits {@code base} plus up to {@code jitter} more (uniform), each way; order is kept. */
    public FaultProxy latency(Duration base, Duration jitter) {
        requireNonNegative(base, "base");
        requireNonNegative(jitter, "jitter");
        server.update(s -> s.withLatency(base, jitter));
        return this;
    }

    /** At most {@code bytesPerSecond} each way, per connection. */
    public FaultProxy bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, was " + bytesPerSecond);
        }
        server.update(s -> s.withBandwidth(bytesPerSecond));
        return this;
    }

    /**
     * Stops forwarding: nothing is read from either side, so nothing moves, and nothing is closed.
     * New connections are accepted and then stall too (a TLS handshake never ends).
     */
    public FaultProxy stall() {
        server.update(s -> s.withStall(true));
        return this;
    }

    /** Every byte is written and flushed on its own, so the reader gets frames in many small reads. */
    public FaultProxy oneByteAtATime() {
        server.update(s -> s.withOneByteAtATime(true));
        return this;
    }

    /** Turns every lasting fault off; a stalled proxy forwards again what waited in the sockets. */
    public FaultProxy heal() {
        server.update(s -> FaultSettings.NONE);
        return this;
    }

    /**
     * Each connection open now is cut at its next chunk in {@code direction}: the first half of
     * the chunk is forwarded, then both sides get a TCP reset. New connections are not touched.
     */
    public FaultProxy resetMidFrame(Direction direction) {
        Objects.requireNonNull(direction, "direction");
        server.forEachConnection(c -> c.resetOnNextChunk(direction));
        return this;
    }

    /**
     * Each connection open now gets a FIN toward the client (the client reads the end of the
     * stream) while the HSM side stays open; what the HSM sends afterwards is dropped.
     */
    public FaultProxy halfClose() {
        server.forEachConnection(ProxiedConnection::halfClose);
        return this;
    }

    /** One byte of the next chunk through in {@code direction}, on any connection, is inverted. */
    public FaultProxy flipNextByte(Direction direction) {
        server.counters().requestFlip(Objects.requireNonNull(direction, "direction"));
        return this;
    }

    public long connectionsAccepted() {
        return server.counters().accepted();
    }

    /** Connections paired with the HSM and not yet closed. */
    public int openConnections() {
        return server.counters().open();
    }

    public long bytesForwarded(Direction direction) {
        return server.counters().forwarded(Objects.requireNonNull(direction, "direction"));
    }

    /** Connections ended by {@link #resetMidFrame}. */
    public long resets() {
        return server.counters().resets();
    }

    public long halfCloses() {
        return server.counters().halfCloses();
    }

    public long bytesFlipped() {
        return server.counters().flips();
    }

    /** Stops listening and closes every connection. Blocks a few seconds at most; not on an event loop. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port() + " -> " + server.target().getPort() + ", " + server.settings() + "]";
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
