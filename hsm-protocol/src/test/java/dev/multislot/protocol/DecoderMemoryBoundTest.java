package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.HsmFrameDecoder.Side;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The decoder never holds more than one maximum-size frame (plus the read in hand), whatever the
 * peer declares or sends.
 *
 * <p>Proof by allocator: every buffer the channel sees, the chunks fed in included, comes from
 * {@link PinnedAllocator}, whose buffers cannot grow in place. So every byte of buffer capacity
 * the decoder ever uses passed through {@link PinnedAllocator#largest}.
 */
class DecoderMemoryBoundTest {

    private static final int MAX = ProtocolConstants.MIN_MAX_FRAME_SIZE;
    private static final int CHUNK = 1024;
    /** One incomplete frame plus one chunk, with room for Netty's power-of-two rounding. */
    private static final int BOUND = 2 * (4 + MAX + CHUNK);

    /** Hands out heap buffers whose maximum capacity is their initial capacity, and records the largest. */
    static final class PinnedAllocator extends AbstractByteBufAllocator {
        int largest;

        PinnedAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return new UnpooledHeapByteBuf(this, initialCapacity, initialCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static void feedFromAllocator(DecoderHarness h, PinnedAllocator alloc, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            int n = Math.min(chunk, bytes.length - at);
            h.channel.writeInbound(alloc.buffer(n).writeBytes(bytes, at, n));
        }
    }

    @Example
    void anOversizeFrameFollowedByMegabytesIsDiscardedWithoutBuffering() {
        byte[] body = new byte[8 << 20]; // 8 MiB of 0xFF: after a discard, reads as another huge prefix
        Arrays.fill(body, (byte) 0xFF);
        for (long declared : new long[] {MAX + 1, 3 << 20, 0x7FFF_FFFFL, 0xFFFF_FFFFL}) {
            for (Side side : Side.values()) {
                PinnedAllocator alloc = new PinnedAllocator();
                try (DecoderHarness h = new DecoderHarness(side, MAX, alloc)) {
                    h.channel.writeInbound(alloc.buffer(4).writeInt((int) declared));
                    assertThat(h.errors).as("refused from the prefix alone").hasSize(1);
                    feedFromAllocator(h, alloc, body, CHUNK);
                    assertThat(h.messages).isEmpty();
                    assertThat(h.errors).allSatisfy(e -> assertThat(e).isExactlyInstanceOf(ProtocolViolationException.class));
                    assertThat(alloc.largest).as("largest buffer, declared %d", declared).isLessThanOrEqualTo(BOUND);
                }
            }
        }
    }

    @Example
    void theTrackerSeesAFrameBeingAssembled() {
        // Without this, a tracker blind to cumulation would make the test above pass vacuously.
        byte[] wire = DecoderHarness.bytes(new RequestFrame(1, new Request.Ping(new byte[MAX - 12])));
        PinnedAllocator alloc = new PinnedAllocator();
        try (DecoderHarness h = new DecoderHarness(Side.SERVER, MAX, alloc)) {
            feedFromAllocator(h, alloc, wire, 64);
            assertThat(h.errors).isEmpty();
            assertThat(h.messages).hasSize(1);
            assertThat(alloc.largest).isGreaterThanOrEqualTo(4 + MAX).isLessThanOrEqualTo(BOUND);
        }
    }

    @Property(tries = 40)
    void randomStreamsStayWithinTheBound(@ForAll HsmFrameDecoder.Side side,
            @ForAll @Size(max = 65_536) byte[] bytes, @ForAll @IntRange(min = 1, max = CHUNK) int chunk) {
        PinnedAllocator alloc = new PinnedAllocator();
        try (DecoderHarness h = new DecoderHarness(side, MAX, alloc)) {
            feedFromAllocator(h, alloc, bytes, chunk);
            h.end();
            assertThat(h.errors).allSatisfy(e -> assertThat(e).isExactlyInstanceOf(ProtocolViolationException.class));
            assertThat(alloc.largest).isLessThanOrEqualTo(BOUND);
        }
    }

    @Example
    void framesJustUnderTheMaximumInAStreamStayWithinTheBound() {
        byte[] one = DecoderHarness.bytes(new RequestFrame(1, new Request.Sign(1, Mechanism.HMAC_SHA256,
                new byte[MAX - 8 - 13])));
        assertThat(one).hasSize(4 + MAX);
        byte[] stream = new byte[one.length * 50];
        for (int i = 0; i < 50; i++) {
            System.arraycopy(one, 0, stream, i * one.length, one.length);
        }
        PinnedAllocator alloc = new PinnedAllocator();
        try (DecoderHarness h = new DecoderHarness(Side.SERVER, MAX, alloc)) {
            feedFromAllocator(h, alloc, stream, 1000);
            assertThat(h.errors).isEmpty();
            assertThat(h.messages).hasSize(50);
            assertThat(alloc.largest).isLessThanOrEqualTo(BOUND);
        }
    }
}
