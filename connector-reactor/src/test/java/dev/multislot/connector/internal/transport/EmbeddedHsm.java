package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.FrameCodec;
import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One {@link HsmConnection} on Netty's {@link EmbeddedChannel}, with the test as its HSM: the test
 * reads what the connection wrote ({@link #written()}) and answers ({@link #answer}). Time is
 * virtual ({@link #advance}); loop tasks run when the test says so.
 */
final class EmbeddedHsm {

    static final ClusterId CLUSTER = ClusterId.of("cluster-embedded1");
    static final HsmAddress ADDRESS = HsmAddress.of("127.0.0.1", 2223);

    final EmbeddedChannel channel = new EmbeddedChannel();
    final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
    final TimeSource time = TimeSource.of(scheduler);
    final ConnectorMetrics metrics = new ConnectorMetrics();
    final HsmConnection connection;

    private EmbeddedHsm(int clientMaxInFlight, long keepaliveNanos) {
        ConnectionSettings settings = new ConnectionSettings(CLUSTER, ADDRESS, clientMaxInFlight,
                ProtocolConstants.DEFAULT_MAX_FRAME_SIZE, "embedded-test", TimeUnit.SECONDS.toNanos(5),
                keepaliveNanos, TimeUnit.SECONDS.toNanos(1), "no TLS");
        connection = new HsmConnection(channel, settings, metrics, time);
        channel.pipeline().addLast(new RequestEncoder(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE), connection.newHandler());
    }

    /** A connection that has exchanged HELLO (the HSM announcing {@code hsmMaxInFlight}) and is ready. */
    static EmbeddedHsm ready(int hsmMaxInFlight) {
        return ready(hsmMaxInFlight, TimeUnit.HOURS.toNanos(1));
    }

    static EmbeddedHsm ready(int hsmMaxInFlight, long keepaliveNanos) {
        EmbeddedHsm hsm = new EmbeddedHsm(256, keepaliveNanos);
        List<HsmConnection> opened = new ArrayList<>();
        hsm.connection.hello().subscribe(opened::add);
        RequestFrame hello = hsm.single();
        assertThat(hello.request()).isInstanceOf(Request.Hello.class);
        hsm.answer(hello.requestId(), Opcode.HELLO, new Response.HelloOk(ProtocolConstants.VERSION, "hsm-1",
                CLUSTER.value(), hsmMaxInFlight, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE));
        assertThat(opened).containsExactly(hsm.connection);
        hsm.connection.markReady();
        return hsm;
    }

    /** Runs the loop's pending tasks (flushes, inbox) and decodes every frame written since the last call. */
    List<RequestFrame> written() {
        channel.runPendingTasks();
        List<RequestFrame> frames = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            try {
                while (buf.isReadable()) {
                    int length = buf.readInt();
                    frames.add(FrameCodec.decodeRequest(buf.readSlice(length)));
                }
            } finally {
                buf.release();
            }
        }
        return frames;
    }

    RequestFrame single() {
        List<RequestFrame> frames = written();
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    void answer(int requestId, Opcode opcode, Response response) {
        channel.writeInbound(new ResponseFrame(requestId, opcode, response));
        channel.runPendingTasks();
    }

    void advance(Duration d) {
        scheduler.advanceTimeBy(d);
        channel.runPendingTasks();
    }

    TestRequest send(Request request, Duration timeout) {
        TestRequest r = new TestRequest(request);
        r.submitTo(connection, time.nanoTime(), timeout.toNanos());
        return r;
    }

    void close() {
        channel.finishAndReleaseAll();
        scheduler.dispose();
    }
}
