package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

/** Encode with {@link HsmFrameEncoder}, decode with {@link HsmFrameDecoder}, compare field by field. */
final class RoundTrip {

    private RoundTrip() {
    }

    /**
     * Field-by-field comparison, same record types required, byte arrays by content. Arrays get
     * a comparator because AssertJ would otherwise compare them element by element, boxed, which
     * takes tens of milliseconds for a 64 KiB array.
     */
    static RecursiveComparisonConfiguration sameFrame() {
        return RecursiveComparisonConfiguration.builder()
                .withStrictTypeChecking(true)
                .withComparatorForType(Arrays::compare, byte[].class)
                .build();
    }

    static void assertRequestRoundTrips(RequestFrame frame) {
        byte[] wire = encodeThroughEncoder(frame);
        assertThat(wire).as("encoder output equals FrameCodec.encodeRequest").isEqualTo(DecoderHarness.bytes(frame));
        try (DecoderHarness server = DecoderHarness.server()) {
            server.feed(wire);
            assertThat(server.errors).isEmpty();
            assertThat(server.messages).hasSize(1);
            Object decoded = server.messages.get(0);
            assertThat(decoded).usingRecursiveComparison(sameFrame()).isEqualTo(frame);
            // One encoding per value: re-encoding what was decoded gives the same bytes.
            assertThat(DecoderHarness.bytes((RequestFrame) decoded)).isEqualTo(wire);
        }
    }

    static void assertResponseRoundTrips(ResponseFrame frame) {
        byte[] wire = encodeThroughEncoder(frame);
        assertThat(wire).as("encoder output equals FrameCodec.encodeResponse").isEqualTo(DecoderHarness.bytes(frame));
        try (DecoderHarness client = DecoderHarness.client()) {
            client.feed(wire);
            assertThat(client.errors).isEmpty();
            assertThat(client.messages).hasSize(1);
            Object decoded = client.messages.get(0);
            assertThat(decoded).usingRecursiveComparison(sameFrame()).isEqualTo(frame);
            assertThat(DecoderHarness.bytes((ResponseFrame) decoded)).isEqualTo(wire);
        }
    }

    static byte[] encodeThroughEncoder(Object frame) {
        EmbeddedChannel ch = new EmbeddedChannel(new HsmFrameEncoder(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE));
        try {
            assertThat(ch.writeOutbound(frame)).isTrue();
            ByteBuf out = ch.readOutbound();
            try {
                assertThat((Object) ch.readOutbound()).as("one buffer per frame").isNull();
                return DecoderHarness.toArray(out);
            } finally {
                out.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
