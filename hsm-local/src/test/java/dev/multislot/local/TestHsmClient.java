package dev.multislot.local;

import dev.multislot.protocol.HsmFrameDecoder;
import dev.multislot.protocol.HsmFrameEncoder;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import reactor.core.publisher.Mono;

/**
 * A minimal protocol-level client for tests: plain Netty, TLS trusting only the cluster CA (and
 * checking the server's IP against its certificate), request ids matched to responses. Not part
 * of the product.
 */
final class TestHsmClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("test-hsm-client", true), NioIoHandler.newFactory());

    private final Channel channel;
    private final SslHandler ssl;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<ResponseFrame>> pending = new ConcurrentHashMap<>();
    /** Ids of responses in the order they arrived. */
    final Queue<Integer> arrivals = new ConcurrentLinkedQueue<>();
    /** Responses that answered no pending request (connection-level errors). */
    final Queue<ResponseFrame> unsolicited = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    private TestHsmClient(Channel channel, SslHandler ssl) {
        this.channel = channel;
        // Handed over from the initializer: a connection the HSM resets at once has already lost
        // its pipeline by now.
        this.ssl = ssl;
        channel.closeFuture().addListener(f -> {
            pending.values().forEach(p -> p.completeExceptionally(new ClosedChannelException()));
            closed.complete(null);
        });
    }

    // ---------------------------------------------------------------- TLS contexts

    /** Trusts only this CA file. */
    static SslContext trusting(Path caFile) {
        return trusting(caFile, null);
    }

    /** Trusts only this CA file and presents a client certificate if given. */
    static SslContext trusting(Path caFile, ClientCertificate clientCert) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(caFile.toFile());
            if (clientCert != null) {
                b.keyManager(readPrivateKey(clientCert.keyFile()), readCertificate(clientCert.certFile()));
            }
            return b.build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }

    /** Reads PKCS#8, PKCS#1 and SEC1 PEM keys, as users' key files come in all three. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return conv.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            throw new IOException("no private key in " + file + ": " + o);
        }
    }

    // ---------------------------------------------------------------- connecting

    /** Connects and completes the TLS handshake; throws if either fails. */
    static TestHsmClient connect(LocalHsm hsm, SslContext sslContext) {
        TestHsmClient c = open(hsm.host(), hsm.port(), sslContext);
        c.ssl.handshakeFuture().awaitUninterruptibly(TIMEOUT.toMillis());
        if (!c.ssl.handshakeFuture().isSuccess()) {
            c.close();
            throw new IllegalStateException("TLS handshake with " + hsm + " failed", c.ssl.handshakeFuture().cause());
        }
        return c;
    }

    /** Connects without waiting for the TLS handshake (see {@link #handshake()}). */
    static TestHsmClient open(String host, int port, SslContext sslContext) {
        AtomicReference<SslHandler> ssl = new AtomicReference<>();
        Bootstrap b = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ssl.set(sslContext.newHandler(ch.alloc(), host, port));
                        ch.pipeline().addLast(ssl.get());
                        ch.pipeline().addLast(new HsmFrameDecoder(HsmFrameDecoder.Side.CLIENT,
                                ProtocolConstants.DEFAULT_MAX_FRAME_SIZE));
                        ch.pipeline().addLast(new HsmFrameEncoder(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE));
                    }
                });
        var f = b.connect(host, port).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IllegalStateException("cannot connect to " + host + ":" + port, f.cause());
        }
        TestHsmClient c = new TestHsmClient(f.channel(), ssl.get());
        f.channel().pipeline().addLast(c.new Handler());
        return c;
    }

    /** A connected client that has said HELLO and logged in as the default user. */
    static TestHsmClient loggedIn(LocalCluster cluster, int hsm) {
        TestHsmClient c = connect(cluster.hsm(hsm), trusting(cluster.caFile()));
        c.hello();
        c.login(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD);
        return c;
    }

    io.netty.util.concurrent.Future<Channel> handshake() {
        return ssl.handshakeFuture();
    }

    SslHandler sslHandler() {
        return ssl;
    }

    /** Whether this client reads what the HSM sends: off, it plays a client that does not read its answers. */
    void reading(boolean on) {
        channel.config().setAutoRead(on);
        if (on) {
            channel.read();
        }
    }

    /** Completes when the connection is closed, by either end. */
    io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    // ---------------------------------------------------------------- requests

    Response.HelloOk hello() {
        return ok(call(new Request.Hello(ProtocolConstants.VERSION, "test-client")), Response.HelloOk.class);
    }

    void login(String user, String password) {
        ok(call(new Request.Login(user, password.getBytes(StandardCharsets.UTF_8))), Response.Done.class);
    }

    /** Sends one request and flushes. */
    CompletableFuture<ResponseFrame> send(Request r) {
        CompletableFuture<ResponseFrame> f = enqueue(r);
        channel.flush();
        return f;
    }

    /** Sends all requests with one flush, so that they reach the HSM in as few reads as possible. */
    List<CompletableFuture<ResponseFrame>> sendAll(List<? extends Request> requests) {
        List<CompletableFuture<ResponseFrame>> out = new ArrayList<>(requests.size());
        for (Request r : requests) {
            out.add(enqueue(r));
        }
        channel.flush();
        return out;
    }

    private CompletableFuture<ResponseFrame> enqueue(Request r) {
        int id = ids.incrementAndGet();
        CompletableFuture<ResponseFrame> f = new CompletableFuture<>();
        pending.put(id, f);
        channel.write(new RequestFrame(id, r)).addListener(w -> {
            if (!w.isSuccess()) {
                pending.remove(id);
                f.completeExceptionally(w.cause());
            }
        });
        return f;
    }

    /** The id the next request will get. */
    int nextId() {
        return ids.get() + 1;
    }

    /** Sends a request and waits for its response. */
    Response call(Request r) {
        return await(send(r)).response();
    }

    /** The same as a Mono, for StepVerifier. */
    Mono<Response> mono(Request r) {
        return Mono.fromFuture(() -> send(r)).map(ResponseFrame::response);
    }

    /** Writes raw bytes, bypassing the encoder. */
    void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes);
    }

    static ResponseFrame await(CompletableFuture<ResponseFrame> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no response within " + TIMEOUT, e);
        }
    }

    static <T extends Response> T ok(Response r, Class<T> type) {
        if (!type.isInstance(r)) {
            throw new AssertionError("expected " + type.getSimpleName() + ", got " + r);
        }
        return type.cast(r);
    }

    static Status status(Response r) {
        return r.status();
    }

    /** Waits until the HSM has closed this connection. */
    boolean awaitClosed() {
        try {
            closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(TIMEOUT.toMillis());
    }

    private final class Handler extends SimpleChannelInboundHandler<ResponseFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ResponseFrame f) {
            arrivals.add(f.requestId());
            CompletableFuture<ResponseFrame> p = pending.remove(f.requestId());
            if (p != null) {
                p.complete(f);
            } else {
                unsolicited.add(f);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
            pending.values().forEach(p -> p.completeExceptionally(cause));
            ctx.close();
        }
    }
}
