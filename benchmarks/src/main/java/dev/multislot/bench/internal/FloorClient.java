package dev.multislot.bench.internal;

import dev.multislot.protocol.HsmFrameDecoder;
import dev.multislot.protocol.HsmFrameEncoder;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.WireKeyType;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The floor: a raw Netty client speaking hsm-protocol with nothing but what the wire needs. One
 * TLS connection per HSM (as many as the connector opens with one connection per HSM), on the
 * transport the connector's Reactor Netty uses (native epoll on Linux, else NIO), HELLO and
 * LOGIN once, then requests pipelined by {@link FloorConnection}, each handed out as a cold
 * {@link Mono} ({@link FloorCall}) so that the same {@link Harness} drives the floor and the
 * connector. What it reaches is the physical limit of this machine, server and TLS for a request
 * mix; the connector's figure is read as a fraction of it.
 */
public final class FloorClient implements WireCounter, AutoCloseable {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final HsmFrameEncoder ENCODER = new HsmFrameEncoder(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);

    private final EventLoopGroup group;
    private final List<FloorConnection> connections;
    private final List<Channel> channels;
    private final int[] clusterOf;
    private final long[] keyHandles;
    private final Request[][] requests;

    private FloorClient(EventLoopGroup group, List<FloorConnection> connections, List<Channel> channels,
            int[] clusterOf, long[] keyHandles) {
        this.group = group;
        this.connections = connections;
        this.channels = channels;
        this.clusterOf = clusterOf;
        this.keyHandles = keyHandles;
        this.requests = new Request[BenchOp.values().length][keyHandles.length];
    }

    /**
     * Connects to every HSM of every cluster, logs in on each connection and generates one EC P-256
     * key per cluster. Blocks; call from the benchmark thread.
     *
     * @param eventLoopThreads Netty I/O threads (the connector's default is the processor count)
     * @param maxInFlight the most requests the caller keeps in flight (each connection can take them all)
     */
    public static FloorClient connect(ServerInfo info, int eventLoopThreads, int maxInFlight) {
        // The transport Reactor Netty picks for the connector: native epoll where it is available.
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(eventLoopThreads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends Channel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        List<FloorConnection> connections = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        int[] clusterOf = new int[info.hsmCount()];
        long[] keys = new long[info.clusters().size()];
        String negotiated = "";
        try {
            for (int c = 0; c < info.clusters().size(); c++) {
                ServerInfo.Cluster cluster = info.clusters().get(c);
                SslContext tls = ClientTls.nettyContext(cluster.caFile());
                for (ServerInfo.Hsm hsm : cluster.hsms()) {
                    FloorConnection conn = new FloorConnection(cluster.id() + "/" + hsm.id(), maxInFlight);
                    Channel ch = new Bootstrap()
                            .group(group)
                            .channel(channelType)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) SETUP_TIMEOUT.toMillis())
                            .handler(new ChannelInitializer<Channel>() {
                                @Override
                                protected void initChannel(Channel ch) {
                                    ch.pipeline().addLast(
                                            tls.newHandler(ch.alloc(), hsm.host(), hsm.port()),
                                            new HsmFrameDecoder(HsmFrameDecoder.Side.CLIENT,
                                                    ProtocolConstants.DEFAULT_MAX_FRAME_SIZE),
                                            ENCODER,
                                            conn);
                                }
                            })
                            .connect(hsm.host(), hsm.port())
                            .syncUninterruptibly()
                            .channel();
                    channels.add(ch);
                    SslHandler ssl = ch.pipeline().get(SslHandler.class);
                    if (!ssl.handshakeFuture().awaitUninterruptibly(SETUP_TIMEOUT.toMillis())) {
                        throw new IllegalStateException("TLS handshake with " + hsm + " took over " + SETUP_TIMEOUT);
                    }
                    if (!ssl.handshakeFuture().isSuccess()) {
                        throw new IllegalStateException("TLS handshake with " + hsm + " failed: "
                                + ssl.handshakeFuture().cause(), ssl.handshakeFuture().cause());
                    }
                    negotiated = ClientTls.requireTls13(ssl.engine().getSession(), hsm.toString());
                    expect(conn.call(new Request.Hello(ProtocolConstants.VERSION, "multislot-bench-floor"), SETUP_TIMEOUT),
                            Response.HelloOk.class, hsm);
                    expect(conn.call(new Request.Login(BenchUser.USER, BenchUser.passwordBytes()), SETUP_TIMEOUT),
                            Response.Done.class, hsm);
                    clusterOf[connections.size()] = c;
                    connections.add(conn);
                }
                FloorConnection first = connections.get(connections.size() - cluster.hsms().size());
                Response.KeyInfo key = expect(first.call(new Request.GenerateKey(WireKeyType.EC_P256, "bench-floor"),
                        SETUP_TIMEOUT), Response.KeyInfo.class, cluster.hsms().get(0));
                keys[c] = key.handle();
            }
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        System.out.println("floor client: " + connections.size() + " connections, " + eventLoopThreads
                + " event-loop threads, " + (epoll ? "epoll" : "nio") + ", " + negotiated);
        return new FloorClient(group, connections, channels, clusterOf, keys);
    }

    private static <T extends Response> T expect(Response r, Class<T> type, ServerInfo.Hsm hsm) {
        if (type.isInstance(r)) {
            return type.cast(r);
        }
        throw new IllegalStateException(hsm + " answered " + r + " where a " + type.getSimpleName() + " was expected");
    }

    /** How many connections are open. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * The request for operation {@code i} of {@code op}, on connection {@code i mod connections}:
     * a cold {@link Mono} that sends when subscribed and completes on the connection's event loop.
     */
    public Mono<Response> call(BenchOp op, byte[] message, int i) {
        int c = i % connections.size();
        return new FloorCall(connections.get(c), requestFor(op, clusterOf[c], message));
    }

    /** Requests written over every connection so far, as of each one's last flush. */
    @Override
    public long requests() {
        long n = 0;
        for (FloorConnection c : connections) {
            n += c.writes();
        }
        return n;
    }

    /** Flushes over every connection so far. */
    @Override
    public long flushes() {
        long n = 0;
        for (FloorConnection c : connections) {
            n += c.flushes();
        }
        return n;
    }

    /** The same request instance for every batch of one op on one cluster (the message is fixed per trial). */
    private Request requestFor(BenchOp op, int cluster, byte[] message) {
        Request r = requests[op.ordinal()][cluster];
        if (r == null) {
            r = op.request(keyHandles[cluster], message);
            requests[op.ordinal()][cluster] = r;
        }
        return r;
    }

    @Override
    public void close() {
        channels.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
