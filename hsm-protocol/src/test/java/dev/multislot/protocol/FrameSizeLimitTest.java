package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maximum frame size counts the bytes after the length prefix, on both ends: a frame of
 * exactly the maximum passes the encoder and the decoder, one byte more fails both.
 */
class FrameSizeLimitTest {

    /** Header, then the PING payload's own u32 length: 12 bytes before the payload. */
    private static final int PING_OVERHEAD = ProtocolConstants.HEADER_SIZE + 4;

    private static RequestFrame pingOfFrameSize(int frameSize) {
        return new RequestFrame(9, new Request.Ping(new byte[frameSize - PING_OVERHEAD]));
    }

    @ParameterizedTest
    @ValueSource(ints = {ProtocolConstants.MIN_MAX_FRAME_SIZE, 65_536, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE})
    void aFrameOfExactlyTheMaximumDecodes(int max) {
        byte[] wire = DecoderHarness.bytes(pingOfFrameSize(max));
        assertThat(wire).hasSize(4 + max);
        try (DecoderHarness server = new DecoderHarness(HsmFrameDecoder.Side.SERVER, max)) {
            server.feed(wire);
            assertThat(server.errors).isEmpty();
            assertThat(server.messages).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {ProtocolConstants.MIN_MAX_FRAME_SIZE, 65_536, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE})
    void aFrameOneByteOverTheMaximumIsAProtocolViolation(int max) {
        byte[] wire = DecoderHarness.bytes(pingOfFrameSize(max + 1));
        try (DecoderHarness server = new DecoderHarness(HsmFrameDecoder.Side.SERVER, max)) {
            server.feed(wire);
            assertThat(server.messages).isEmpty();
            assertThat(server.errors).singleElement()
                    .isInstanceOf(ProtocolViolationException.class)
                    .extracting(Throwable::getMessage).asString().contains(String.valueOf(max));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {ProtocolConstants.MIN_MAX_FRAME_SIZE, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE})
    void theEncoderAcceptsExactlyWhatTheDecoderAccepts(int max) {
        EmbeddedChannel ch = new EmbeddedChannel(new HsmFrameEncoder(max));
        try {
            Future<Void> atMax = ch.writeAndFlush(pingOfFrameSize(max));
            assertThat(atMax.isSuccess()).isTrue();
            ByteBuf out = ch.readOutbound();
            assertThat(out.readableBytes()).isEqualTo(4 + max);
            out.release();
            Future<Void> over = ch.writeAndFlush(pingOfFrameSize(max + 1));
            assertThat(over.cause()).isInstanceOf(io.netty.handler.codec.EncoderException.class);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, ProtocolConstants.MIN_MAX_FRAME_SIZE - 1,
            ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + 1, Integer.MAX_VALUE})
    void aDecoderMaximumOutsideTheAllowedRangeIsRefusedByName(int max) {
        assertThatThrownBy(() -> new HsmFrameDecoder(HsmFrameDecoder.Side.CLIENT, max))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameSize")
                .hasMessageContaining(String.valueOf(max));
    }

    @Test
    void theDefaultMaximumIsOneMebibyte() {
        assertThat(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE).isEqualTo(1024 * 1024);
    }
}
