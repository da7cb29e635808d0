package dev.multislot.bench.internal;

import dev.multislot.protocol.FrameCodec;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One blocking {@link SSLSocket} connection: one request at a time, the calling thread waits for
 * each answer, as HSM SDKs with a synchronous API work. Not thread-safe: one thread owns it.
 */
final class BlockingConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;
    private static final int READ_TIMEOUT_MILLIS = 120_000;

    private final String name;
    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final ByteBuf encoded = Unpooled.buffer(512);
    private byte[] frame = new byte[512];
    private int nextId;
    private String tls = "";

    private BlockingConnection(String name, SSLSocket socket) throws IOException {
        this.name = name;
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
    }

    /** Connects, completes the TLS handshake, and sends HELLO and LOGIN. */
    static BlockingConnection open(SSLContext tls, SslContext offer, ServerInfo.Cluster cluster, ServerInfo.Hsm hsm) {
        SSLSocket s = null;
        try {
            s = (SSLSocket) tls.getSocketFactory().createSocket();
            ClientTls.configure(s, offer);
            s.setTcpNoDelay(true);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            s.connect(new InetSocketAddress(hsm.host(), hsm.port()), CONNECT_TIMEOUT_MILLIS);
            s.startHandshake();
            BlockingConnection c = new BlockingConnection(cluster.id() + "/" + hsm.id(), s);
            c.tls = ClientTls.requireTls13(s.getSession(), c.name);
            c.expect(c.call(new Request.Hello(ProtocolConstants.VERSION, "multislot-bench-blocking")),
                    Response.HelloOk.class);
            c.expect(c.call(new Request.Login(BenchUser.USER, BenchUser.passwordBytes())), Response.Done.class);
            return c;
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot connect to " + hsm.host() + ":" + hsm.port() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** The negotiated protocol and cipher suite. */
    String tls() {
        return tls;
    }

    /** Sends one request and waits for its answer. */
    Response call(Request request) throws IOException {
        int id = nextId++;
        encoded.clear();
        FrameCodec.encodeRequest(new RequestFrame(id, request), encoded);
        out.write(encoded.array(), encoded.arrayOffset() + encoded.readerIndex(), encoded.readableBytes());
        out.flush();
        int length = in.readInt();
        if (length < ProtocolConstants.HEADER_SIZE || length > ProtocolConstants.DEFAULT_MAX_FRAME_SIZE) {
            throw new IOException(name + ": bad frame length " + length);
        }
        if (frame.length < length) {
            frame = new byte[Math.max(length, frame.length * 2)];
        }
        in.readFully(frame, 0, length);
        ResponseFrame f = FrameCodec.decodeResponse(Unpooled.wrappedBuffer(frame, 0, length));
        if (f.requestId() != id) {
            throw new IOException(name + ": answer to request " + f.requestId() + " while waiting for " + id);
        }
        return f.response();
    }

    /** {@link #call} that fails unless the answer is a {@code type}. */
    <T extends Response> T expect(Response r, Class<T> type) {
        if (type.isInstance(r)) {
            return type.cast(r);
        }
        throw new IllegalStateException(name + " answered " + r + " where a " + type.getSimpleName() + " was expected");
    }

    /** Sends one request whose answer must not be an error. */
    void callOk(Request request) throws IOException {
        Response r = call(request);
        if (r instanceof Response.Error e) {
            throw new IllegalStateException(name + ": " + request.opcode() + " failed: " + e.status() + " " + e.message());
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(SSLSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
