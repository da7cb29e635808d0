package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A frame the encoder cannot send fails its own write; the channel and later writes are unaffected. */
class HsmFrameEncoderTest {

    private static final int MAX = ProtocolConstants.MIN_MAX_FRAME_SIZE;
    private final EmbeddedChannel channel = new EmbeddedChannel(new HsmFrameEncoder(MAX));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private byte[] readOne() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).isNotNull();
        try {
            return DecoderHarness.toArray(out);
        } finally {
            out.release();
        }
    }

    private void assertNextWriteStillWorks() {
        RequestFrame next = new RequestFrame(2, new Request.Ping(new byte[] {1, 2, 3}));
        ChannelFuture ok = channel.writeAndFlush(next);
        assertThat(ok.isSuccess()).isTrue();
        assertThat(readOne()).as("exactly the next frame, nothing left of the failed one")
                .isEqualTo(DecoderHarness.bytes(next));
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aFrameOverTheMaximumFailsThatWriteOnly() {
        ChannelFuture failed = channel.writeAndFlush(
                new RequestFrame(1, new Request.Sign(1, Mechanism.ECDSA_SHA256, new byte[MAX])));
        assertThat(failed.cause()).isInstanceOf(EncoderException.class)
                .hasMessageContaining("frame of " + (MAX + 13 + 8) + " bytes exceeds the maximum of " + MAX);
        assertThat(channel.isOpen()).isTrue();
        assertThat((Object) channel.readOutbound()).isNull();
        assertNextWriteStillWorks();
    }

    @Test
    void anOversizeResponseFailsThatWriteOnly() {
        ChannelFuture failed = channel.writeAndFlush(
                new ResponseFrame(1, Opcode.RANDOM, new Response.Bytes(new byte[MAX])));
        assertThat(failed.cause()).isInstanceOf(EncoderException.class);
        assertThat(channel.isOpen()).isTrue();
        assertNextWriteStillWorks();
    }

    @Test
    void aStringOverTheFieldLimitFailsThatWriteOnly() {
        ChannelFuture failed = channel.writeAndFlush(new RequestFrame(1, new Request.Hello(1, "x".repeat(65_536))));
        assertThat(failed.cause()).isInstanceOf(EncoderException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("65535");
        assertThat(channel.isOpen()).isTrue();
        assertNextWriteStillWorks();
    }

    @Test
    void aVersionOutsideSixteenBitsFailsThatWriteInsteadOfBeingTruncated() {
        ChannelFuture failed = channel.writeAndFlush(new RequestFrame(1, new Request.Hello(65_537, "c")));
        assertThat(failed.cause()).isInstanceOf(EncoderException.class)
                .rootCause().hasMessageContaining("protocolVersion must be 0..65535, was 65537");
        ChannelFuture negative = channel.writeAndFlush(
                new ResponseFrame(1, Opcode.HELLO, new Response.HelloOk(-1, "h", "c", 1, MAX)));
        assertThat(negative.cause()).isInstanceOf(EncoderException.class);
        assertNextWriteStillWorks();
    }

    @Test
    void aResponseOfTheWrongTypeForItsOpcodeFailsThatWrite() {
        ChannelFuture failed = channel.writeAndFlush(new ResponseFrame(1, Opcode.SIGN, new Response.Done()));
        assertThat(failed.cause()).isInstanceOf(EncoderException.class)
                .rootCause().hasMessageContaining("Done does not answer SIGN");
        assertNextWriteStillWorks();
    }

    @Test
    void otherMessagesPassThroughUntouched() {
        ByteBuf raw = Unpooled.wrappedBuffer(new byte[] {9, 9});
        assertThat(channel.writeAndFlush(raw).isSuccess()).isTrue();
        assertThat(readOne()).containsExactly(9, 9);
    }

    @Test
    void oneInstanceServesManyChannels() {
        HsmFrameEncoder shared = new HsmFrameEncoder(MAX);
        EmbeddedChannel a = new EmbeddedChannel(shared);
        EmbeddedChannel b = new EmbeddedChannel(shared);
        try {
            RequestFrame f = new RequestFrame(3, new Request.Random(32));
            a.writeOutbound(f);
            b.writeOutbound(f);
            ByteBuf fromA = a.readOutbound();
            ByteBuf fromB = b.readOutbound();
            assertThat(DecoderHarness.toArray(fromA)).isEqualTo(DecoderHarness.toArray(fromB))
                    .isEqualTo(DecoderHarness.bytes(f));
            fromA.release();
            fromB.release();
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }
}
