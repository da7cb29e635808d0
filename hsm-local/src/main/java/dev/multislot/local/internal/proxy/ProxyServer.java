package dev.multislot.local.internal.proxy;

import dev.multislot.local.faults.Direction;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The proxy's Netty side: one event-loop thread accepts clients, connects each to the target on
 * the same loop, and pairs the two channels in a {@link ProxiedConnection}.
 */
public final class ProxyServer {

    private final InetSocketAddress target;
    private final EventLoopGroup group;
    private final Channel listener;
    private final AtomicReference<FaultSettings> settings = new AtomicReference<>(FaultSettings.NONE);
    private final ProxyCounters counters = new ProxyCounters();
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong seeds = new AtomicLong(0x5eed);

    private ProxyServer(InetSocketAddress target, EventLoopGroup group, Channel listener) {
        this.target = target;
        this.group = group;
        this.listener = listener;
    }

    /** Listens on {@code bind} (port 0: an ephemeral port) and forwards to {@code target}. Blocks until bound. */
    public static ProxyServer start(InetSocketAddress bind, InetSocketAddress target, String threadName) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                runnable -> {
                    Thread t = new Thread(runnable, threadName);
                    t.setDaemon(true);
                    return t;
                }, NioIoHandler.newFactory());
        ProxyServer[] self = new ProxyServer[1];
        ServerBootstrap server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        self[0].accept(client);
                    }
                });
        try {
            ChannelFuture bound = server.bind(bind).syncUninterruptibly();
            self[0] = new ProxyServer(target, group, bound.channel());
            return self[0];
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    private void accept(SocketChannel client) {
        counters.accepted.incrementAndGet();
        Relay toHsm = new Relay(Direction.TO_HSM);
        Relay toClient = new Relay(Direction.TO_CLIENT);
        client.pipeline().addLast(toHsm);
        new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(toClient)
                .connect(target)
                .addListener((ChannelFuture connected) -> {
                    if (!connected.isSuccess() || !client.isActive()) {
                        connected.channel().close();
                        client.close();
                        return;
                    }
                    // Leaves the set only once closed, so close() also reaches a connection whose end waits
                    // for delayed bytes (and releases them): the Netty leak detector found that one.
                    ProxiedConnection[] self = new ProxiedConnection[1];
                    ProxiedConnection c = new ProxiedConnection(client, connected.channel(), settings::get, counters,
                            seeds.incrementAndGet(), () -> connections.remove(self[0]));
                    self[0] = c;
                    counters.open.incrementAndGet();
                    connections.add(c);
                    toHsm.attach(c);
                    toClient.attach(c);
                    c.updateReading();
                });
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public InetSocketAddress target() {
        return target;
    }

    public ProxyCounters counters() {
        return counters;
    }

    public FaultSettings settings() {
        return settings.get();
    }

    /** Puts new settings in force and lets every connection re-read them (stall on or off). */
    public void update(java.util.function.UnaryOperator<FaultSettings> change) {
        settings.updateAndGet(change);
        forEachConnection(ProxiedConnection::updateReading);
    }

    /** Runs {@code action} on each open connection, on its event loop. */
    public void forEachConnection(Consumer<ProxiedConnection> action) {
        for (ProxiedConnection c : connections) {
            c.execute(() -> action.accept(c));
        }
    }

    /** Stops listening and closes every connection. Blocks up to a few seconds; not for event loops. */
    public void close() {
        listener.close().syncUninterruptibly();
        forEachConnection(ProxiedConnection::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
