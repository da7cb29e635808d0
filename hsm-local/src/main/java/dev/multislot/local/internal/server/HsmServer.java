package dev.multislot.local.internal.server;

import dev.multislot.protocol.HsmFrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import dev.multislot.local.ConnectionLimits;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.tcp.TcpServer;

/**
 * One HSM: a TLS listener on one address whose connections speak hsm-protocol. {@link #start()}
 * and {@link #stop()} may be called any number of times; the address stays the same.
 */
public final class HsmServer {

    private static final Logger log = LoggerFactory.getLogger(HsmServer.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ClusterRuntime cluster;
    private final String hsmId;
    private final String host;
    private final SslContext sslContext;
    private final FaultState faults = new FaultState();
    private final HsmCounters counters = new HsmCounters();
    private final OperationGate gate;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ConnectionLimits limits;
    private final ThrottledLog refusals = new ThrottledLog(log);

    private volatile int port;
    private volatile DisposableServer server;

    /**
     * @param port the port to listen on; 0 picks a free one at the first start and keeps it
     * @param maxConcurrentOperations this HSM's cap on crypto operations at once, 0 = none
     * @param limits what one client connection is allowed
     */
    public HsmServer(ClusterRuntime cluster, String hsmId, String host, int port, SslContext sslContext,
            int maxConcurrentOperations, ConnectionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.hsmId = Objects.requireNonNull(hsmId, "hsmId");
        this.host = Objects.requireNonNull(host, "host");
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        this.port = port;
        this.gate = new OperationGate(maxConcurrentOperations);
    }

    /** What this HSM shares with the others of its cluster. */
    public ClusterRuntime cluster() {
        return cluster;
    }

    public String hsmId() {
        return hsmId;
    }

    public String host() {
        return host;
    }

    /** The port; the bound one once started on port 0. */
    public int port() {
        return port;
    }

    public FaultState faults() {
        return faults;
    }

    public HsmCounters counters() {
        return counters;
    }

    public int activeConnections() {
        return connections.size();
    }

    public boolean isRunning() {
        DisposableServer s = server;
        return s != null && !s.isDisposed();
    }

    /**
     * Binds the listener. Blocks until bound; never call it on an event loop.
     *
     * @throws reactor.netty.ChannelBindException if the address is taken
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        if (cluster.isClosed()) {
            throw new IllegalStateException("cluster " + cluster.clusterId() + " is closed; its HSMs cannot start again");
        }
        DisposableServer s = TcpServer.create()
                .host(host)
                .port(port)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .secure(spec -> spec.sslContext(sslContext))
                .doOnChannelInit((observer, channel, remote) -> initChannel(channel))
                // The protocol handler consumes every frame before Reactor Netty's bridge sees it.
                // Subscribing to the (empty) inbound with unbounded demand keeps Reactor Netty from
                // turning auto-read off, and keeps the connection open until either side closes it.
                .handle((in, out) -> in.receiveObject().then())
                .bindNow(CLOSE_WAIT);
        port = ((InetSocketAddress) s.address()).getPort();
        server = s;
        log.debug("HSM {} of {} listening on {}:{}", hsmId, cluster.clusterId(), host, port);
    }

    /**
     * Closes the listener and every connection at once, as a crash would. Waits until they are
     * closed unless called on a non-blocking thread, where it only starts closing.
     */
    public synchronized void stop() {
        DisposableServer s = server;
        server = null;
        ChannelFuture listener = s == null ? null : s.channel().close();
        ChannelGroupFuture all = connections.close();
        if (!Schedulers.isInNonBlockingThread()) {
            if (listener != null) {
                listener.awaitUninterruptibly(CLOSE_WAIT.toMillis());
            }
            all.awaitUninterruptibly(CLOSE_WAIT.toMillis());
        }
        if (s != null) {
            s.dispose();
            log.debug("HSM {} of {} stopped", hsmId, cluster.clusterId());
        }
    }

    /** Closes every open connection now; the listener keeps accepting. */
    public void dropConnections() {
        connections.close();
    }

    private void initChannel(Channel channel) {
        if (faults.refuseConnections()) {
            // Reset rather than a polite close: to the client it looks like a refused or broken
            // connection, not like a server that chose to hang up after a handshake.
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
            return;
        }
        if (connections.size() >= limits.maxConnectionsPerHsm()) {
            counters.connectionRefused();
            refusals.warn("HSM {} of {} refused a connection from {}: {} connections are open, the limit",
                    hsmId, cluster.clusterId(), channel.remoteAddress(), limits.maxConnectionsPerHsm());
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
            return;
        }
        connections.add(channel);
        HsmConnectionHandler handler = new HsmConnectionHandler(cluster, hsmId, faults, counters, gate, limits);
        var p = channel.pipeline();
        // First, so that the TLS handshake's bytes count as activity too.
        p.addFirst("hsm-idle", new IdleStateHandler(0, 0, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        if (p.get(NettyPipeline.ReactiveBridge) != null) {
            p.addBefore(NettyPipeline.ReactiveBridge, "hsm-decoder", new HsmFrameDecoder(HsmFrameDecoder.Side.SERVER,
                    cluster.maxFrameSize()));
            p.addBefore(NettyPipeline.ReactiveBridge, "hsm-encoder", cluster.encoder());
            p.addBefore(NettyPipeline.ReactiveBridge, "hsm-handler", handler);
        } else {
            p.addLast("hsm-decoder", new HsmFrameDecoder(HsmFrameDecoder.Side.SERVER, cluster.maxFrameSize()));
            p.addLast("hsm-encoder", cluster.encoder());
            p.addLast("hsm-handler", handler);
        }
        if (log.isTraceEnabled()) {
            log.trace("pipeline of a connection to {}: {}", hsmId, p.names());
        }
    }

    @Override
    public String toString() {
        return "HsmServer[" + hsmId + " " + host + ":" + port + (isRunning() ? ", running" : ", stopped") + "]";
    }
}
