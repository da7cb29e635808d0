package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.HsmFrameDecoder.Side;
import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** TCP delivers bytes, not frames: however the stream is cut, the same frames come out in order. */
class StreamReassemblyTest {

    @Property(tries = 40)
    void aRequestSplitAtEveryByteBoundaryDecodesTheSame(@ForAll("smallRequests") RequestFrame frame) {
        assertEverySplitDecodes(Side.SERVER, frame, DecoderHarness.bytes(frame));
    }

    @Property(tries = 40)
    void aResponseSplitAtEveryByteBoundaryDecodesTheSame(@ForAll("smallResponses") ResponseFrame frame) {
        assertEverySplitDecodes(Side.CLIENT, frame, DecoderHarness.bytes(frame));
    }

    /** One channel, one frame per cut position: the decoder is back at a frame start after each. */
    private static void assertEverySplitDecodes(Side side, Object frame, byte[] wire) {
        try (DecoderHarness h = new DecoderHarness(side, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE)) {
            for (int cut = 1; cut < wire.length; cut++) {
                h.feed(wire, 0, cut).feed(wire, cut, wire.length);
            }
            // And one byte at a time.
            for (int i = 0; i < wire.length; i++) {
                h.feed(wire, i, i + 1);
            }
            assertThat(h.errors).isEmpty();
            assertThat(h.messages).hasSize(wire.length);
            assertThat(h.messages.get(0)).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(frame);
            // The encoding is canonical (the round-trip tests re-encode every decoded frame), so
            // equal bytes mean equal frames; much cheaper than a field-by-field walk per cut.
            assertThat(h.messages).allSatisfy(m -> assertThat(reencode(m)).isEqualTo(wire));
        }
    }

    private static byte[] reencode(Object decoded) {
        return decoded instanceof RequestFrame r ? DecoderHarness.bytes(r) : DecoderHarness.bytes((ResponseFrame) decoded);
    }

    @Property(tries = 60)
    void manyRequestsInOneBufferOrCutAnywhereDecodeInOrder(
            @ForAll @Size(min = 1, max = 30) List<@net.jqwik.api.From("smallRequests") RequestFrame> frames,
            @ForAll @IntRange(min = 1, max = 700) int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frames.forEach(f -> all.writeBytes(DecoderHarness.bytes(f)));
        assertStreamDecodes(Side.SERVER, frames, all.toByteArray(), chunk);
    }

    @Property(tries = 60)
    void manyResponsesInOneBufferOrCutAnywhereDecodeInOrder(
            @ForAll @Size(min = 1, max = 30) List<@net.jqwik.api.From("smallResponses") ResponseFrame> frames,
            @ForAll @IntRange(min = 1, max = 700) int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        frames.forEach(f -> all.writeBytes(DecoderHarness.bytes(f)));
        assertStreamDecodes(Side.CLIENT, frames, all.toByteArray(), chunk);
    }

    private static void assertStreamDecodes(Side side, List<?> frames, byte[] stream, int chunk) {
        try (DecoderHarness whole = new DecoderHarness(side, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
                DecoderHarness cut = new DecoderHarness(side, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE)) {
            whole.feed(stream);
            for (int at = 0; at < stream.length; at += chunk) {
                cut.feed(stream, at, Math.min(stream.length, at + chunk));
            }
            for (DecoderHarness h : List.of(whole, cut)) {
                assertThat(h.errors).isEmpty();
                assertThat(h.messages).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(frames);
            }
        }
    }

    @Provide
    Arbitrary<RequestFrame> smallRequests() {
        return ProtocolArbitraries.requestFrames().filter(f -> DecoderHarness.bytes(f).length <= 400);
    }

    @Provide
    Arbitrary<ResponseFrame> smallResponses() {
        return ProtocolArbitraries.responseFrames().filter(f -> DecoderHarness.bytes(f).length <= 400);
    }
}
