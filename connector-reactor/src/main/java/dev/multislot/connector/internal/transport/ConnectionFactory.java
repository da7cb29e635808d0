package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.HsmFrameDecoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;
import reactor.netty.channel.ChannelMetricsRecorder;
import reactor.netty.tcp.TcpClient;

/**
 * Opens HSM connections with Reactor Netty's {@link TcpClient} on the connector's shared
 * {@link LoopResources}: TCP, the TLS handshake, the frame codec and {@link HsmConnection}'s
 * handler in the pipeline, then HELLO.
 */
public final class ConnectionFactory {

    private static final Logger log = LoggerFactory.getLogger(ConnectionFactory.class);

    private final LoopResources loops;
    private final ConnectorMetrics metrics;
    private final int maxFrameSize;
    private final RequestEncoder encoder;
    private final TimeSource time;

    /** @param time what the connections' deadlines and keepalives read and wait on */
    public ConnectionFactory(LoopResources loops, ConnectorMetrics metrics, int maxFrameSize, TimeSource time) {
        this.loops = loops;
        this.metrics = metrics;
        this.maxFrameSize = maxFrameSize;
        this.encoder = new RequestEncoder(maxFrameSize);
        this.time = time;
    }

    /** The source of time of the connections and of the requests on them. */
    public TimeSource time() {
        return time;
    }

    /**
     * Connects, handshakes TLS and exchanges HELLO. The connection is not ready for requests yet:
     * the caller replays the login and calls {@link HsmConnection#markReady()}. A failure is an
     * {@link HsmConnectorException} ({@link HsmTlsException} for anything TLS) naming the cluster
     * and the HSM; a connection opened and then failed or cancelled is closed.
     *
     * @param closeListener set on the connection before anything can close it
     */
    public Mono<HsmConnection> open(ConnectionSettings settings, TlsMaterial tls, Duration connectTimeout,
                                    BiConsumer<HsmConnection, HsmConnectorException> closeListener) {
        int connectMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        TcpClient client = TcpClient.newConnection()
                .runOn(loops)
                .host(settings.address().host())
                .port(settings.address().port())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .secure(spec -> spec.sslContext(tls.sslContext()).handshakeTimeout(connectTimeout))
                // Our handler consumes every frame before Reactor Netty's bridge sees it; an inbound
                // subscriber with unbounded demand keeps Reactor Netty from turning auto-read off.
                .handle((in, out) -> in.receiveObject().then());
        ChannelMetricsRecorder channelMeters = metrics.recorder().channelRecorder();
        if (channelMeters != null) {
            client = client.metrics(true, () -> channelMeters);
        }
        return client.connect()
                .doOnSubscribe(s -> log.debug("{} HSM {}: opening a connection", settings.clusterId(), settings.address()))
                .onErrorMap(e -> !(e instanceof HsmConnectorException), e -> connectError(e, settings, tls, connectTimeout))
                .doOnError(e -> log.debug("{} HSM {}: connection attempt failed: {}", settings.clusterId(), settings.address(),
                        e.getMessage()))
                .flatMap(c -> {
                    logTls(settings, c.channel());
                    // The HSM says nothing before HELLO, so the handlers may join once TLS is up.
                    HsmConnection connection = new HsmConnection(c.channel(), settings, metrics, time);
                    connection.onClose(closeListener);
                    c.addHandlerLast("hsm-frame-decoder", new HsmFrameDecoder(HsmFrameDecoder.Side.CLIENT, maxFrameSize))
                            .addHandlerLast("hsm-request-encoder", encoder)
                            .addHandlerLast("hsm-client", connection.newHandler());
                    return connection.hello()
                            .doOnError(e -> connection.close(HsmErrors.asHsmError(e, "connection set-up failed", settings.clusterId(), settings.address())))
                            .doOnCancel(() -> connection.close(new HsmConnectionException("connection attempt cancelled",
                                    settings.clusterId(), settings.address())));
                });
    }

    private static void logTls(ConnectionSettings settings, Channel channel) {
        if (log.isDebugEnabled()) {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            SSLSession session = ssl == null ? null : ssl.engine().getSession();
            log.debug("{} HSM {}: TLS up ({}, {}) on {}", settings.clusterId(), settings.address(),
                    session == null ? "?" : session.getProtocol(), session == null ? "?" : session.getCipherSuite(),
                    channel.localAddress());
        }
    }

    static HsmConnectorException connectError(Throwable e, ConnectionSettings settings, TlsMaterial tls, Duration timeout) {
        SslHandshakeTimeoutException handshakeTimeout = find(e, SslHandshakeTimeoutException.class);
        if (handshakeTimeout != null) {
            return new HsmConnectionException("TLS handshake timed out after " + timeout, settings.clusterId(),
                    settings.address(), e);
        }
        SSLException ssl = find(e, SSLException.class);
        if (ssl != null) {
            return new HsmTlsException("TLS handshake failed: " + rootMessage(ssl) + "; " + tls.describe(),
                    settings.clusterId(), settings.address(), e);
        }
        if (find(e, ConnectTimeoutException.class) != null) {
            return new HsmConnectionException("connect timed out after " + timeout, settings.clusterId(),
                    settings.address(), e);
        }
        ConnectException refused = find(e, ConnectException.class);
        if (refused != null) {
            return new HsmConnectionException("cannot connect: " + refused.getMessage(), settings.clusterId(),
                    settings.address(), e);
        }
        return new HsmConnectionException("cannot connect: " + e, settings.clusterId(), settings.address(), e);
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return root == e ? m : e.getMessage() + " (" + m + ")";
    }
}
