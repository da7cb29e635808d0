package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.HsmFrameDecoder.Side;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What the fuzz targets check on one input: fed in chunks, then closed, the decoder surfaces only
 * {@link ProtocolViolationException}s, and every frame it accepts encodes to bytes that decode and
 * encode to the same bytes again (both ends read the layout the same way).
 */
final class FrameDecoderOracle {

    private FrameDecoderOracle() {}

    static void check(Side side, byte[] wire) {
        // The last byte picks the chunk size, so the fuzzer also explores frames split across reads.
        int chunk = wire.length == 0 ? 1 : 1 + (wire[wire.length - 1] & 0xFF);
        try (DecoderHarness h = new DecoderHarness(side, ProtocolConstants.MIN_MAX_FRAME_SIZE)) {
            for (int at = 0; at < wire.length; at += chunk) {
                h.feed(wire, at, Math.min(wire.length, at + chunk));
            }
            h.end();
            assertThat(h.errors).allSatisfy(e -> assertThat(e).isExactlyInstanceOf(ProtocolViolationException.class));
            for (Object message : h.messages) {
                byte[] once = encode(message);
                byte[] twice = encode(decode(side, once));
                assertThat(twice).as("a decoded frame, encoded and decoded again").isEqualTo(once);
            }
        }
    }

    private static byte[] encode(Object message) {
        return message instanceof RequestFrame r ? DecoderHarness.bytes(r) : DecoderHarness.bytes((ResponseFrame) message);
    }

    private static Object decode(Side side, byte[] wire) {
        ByteBuf body = Unpooled.wrappedBuffer(wire, 4, wire.length - 4);
        return side == Side.SERVER ? FrameCodec.decodeRequest(body) : FrameCodec.decodeResponse(body);
    }
}
