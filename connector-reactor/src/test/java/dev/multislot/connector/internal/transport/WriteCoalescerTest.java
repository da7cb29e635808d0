package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.WireKeyType;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Writes of one loop pass leave in one flush; a write that fails fails its own request only. */
class WriteCoalescerTest {

    /**
     * On a real loop ({@link EmbeddedChannel} runs its tasks on every write, so it cannot show a
     * pass): ten writes in one task leave in one flush, after the task.
     */
    @Test
    void requestsOfOnePassLeaveInOneFlush() {
        // An I/O loop, as the connector's (NIO: BlockHound allows its selector), which runs the work
        // queued for after its pass.
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoop loop = group.next();
        try {
            // Never connected: the handler below takes every write and flush before the socket would.
            NioSocketChannel channel = new NioSocketChannel();
            loop.register(channel).syncUninterruptibly();
            AtomicInteger writes = new AtomicInteger();
            AtomicInteger flushes = new AtomicInteger();
            channel.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                    writes.incrementAndGet();
                }

                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushes.incrementAndGet();
                }
            });
            ConnectorMetrics metrics = new ConnectorMetrics();
            WriteCoalescer coalescer = new WriteCoalescer(channel, metrics);
            loop.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    coalescer.write("request " + i, channel.voidPromise());
                }
                assertThat(flushes).as("nothing flushed during the pass").hasValue(0);
            }).syncUninterruptibly();
            // Each check runs one more pass on the loop first; bounded by time, not by a count of passes, which
            // a loaded machine once used up before the flush came (seen once in a full suite run under load).
            Await.until("the flush after the pass", Duration.ofSeconds(10), () -> {
                loop.submit(() -> { }).syncUninterruptibly();
                return flushes.get() > 0;
            });
            assertThat(writes).hasValue(10);
            assertThat(flushes).hasValue(1);
            assertThat(coalescer.requestsWritten()).isEqualTo(10);
            assertThat(coalescer.flushes()).isEqualTo(1);
            assertThat(metrics.requestsPerFlush()).isEqualTo(10.0);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aWriteFailingMidBatchFailsOnlyItsRequestAsNeverSent() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(64);
        try {
            TestRequest before = hsm.send(new Request.GenerateKey(WireKeyType.AES_256, "before"), Duration.ofSeconds(1));
            // A label over the protocol's 65,535 UTF-8 bytes: the encoder refuses this frame alone.
            TestRequest broken = hsm.send(new Request.GenerateKey(WireKeyType.AES_256, "x".repeat(70_000)),
                    Duration.ofSeconds(1));
            TestRequest after = hsm.send(new Request.GenerateKey(WireKeyType.AES_256, "after"), Duration.ofSeconds(1));
            List<RequestFrame> frames = hsm.written();
            assertThat(frames).extracting(f -> ((Request.GenerateKey) f.request()).label()).containsExactly("before", "after");
            assertThat(broken.failures).singleElement().isInstanceOfSatisfying(AttemptFailure.class, f -> {
                assertThat(f.kind()).isEqualTo(AttemptFailure.Kind.CONNECTION);
                assertThat(f.mayHaveReachedHsm()).as("its bytes provably never left").isFalse();
            });
            assertThat(before.signals()).isZero();
            assertThat(after.signals()).isZero();
            assertThat(hsm.connection.isReady()).as("the connection stays open").isTrue();
            assertThat(hsm.connection.occupiedPlaces().block()).isEqualTo(2);
        } finally {
            hsm.close();
        }
    }
}
