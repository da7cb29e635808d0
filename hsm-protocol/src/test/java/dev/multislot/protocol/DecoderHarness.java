package dev.multislot.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedChannel} with an {@link HsmFrameDecoder} followed by a handler that records
 * every decoded message and every exception that reaches {@code exceptionCaught}. Recording all
 * of them (EmbeddedChannel itself keeps only the first) lets a test prove that no exception of
 * another type ever surfaces.
 */
final class DecoderHarness implements AutoCloseable {

    final List<Object> messages = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    final EmbeddedChannel channel;

    DecoderHarness(HsmFrameDecoder.Side side, int maxFrameSize) {
        this(side, maxFrameSize, null);
    }

    DecoderHarness(HsmFrameDecoder.Side side, int maxFrameSize, ByteBufAllocator allocator) {
        channel = new EmbeddedChannel();
        if (allocator != null) {
            // Set before the decoder exists, so every cumulation buffer comes from it.
            channel.config().setAllocator(allocator);
        }
        channel.pipeline().addLast(new HsmFrameDecoder(side, maxFrameSize), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                messages.add(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    static DecoderHarness server() {
        return new DecoderHarness(HsmFrameDecoder.Side.SERVER, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
    }

    static DecoderHarness client() {
        return new DecoderHarness(HsmFrameDecoder.Side.CLIENT, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
    }

    /** Feeds a copy of {@code bytes}; the decoder releases what it is given. */
    DecoderHarness feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    DecoderHarness feed(byte[] bytes, int from, int to) {
        if (to > from) {
            channel.writeInbound(Unpooled.copiedBuffer(bytes, from, to - from));
        }
        return this;
    }

    /** Closes the channel, which makes the decoder see the end of the stream. */
    DecoderHarness end() {
        channel.finish();
        return this;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    // ------------------------------------------------------------------ encoding helpers

    static byte[] bytes(RequestFrame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encodeRequest(frame, buf);
            return toArray(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] bytes(ResponseFrame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encodeResponse(frame, buf);
            return toArray(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] toArray(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    /** A frame with the given header fields and raw payload, its length prefix computed. */
    static byte[] rawFrame(int kind, int opcode, int status, int requestId, byte[] payload) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(ProtocolConstants.HEADER_SIZE + payload.length);
            buf.writeByte(kind).writeByte(opcode).writeShort(status).writeInt(requestId);
            buf.writeBytes(payload);
            return toArray(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
