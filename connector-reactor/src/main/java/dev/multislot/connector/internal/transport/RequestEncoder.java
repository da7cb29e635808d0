package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes the requests a connection writes, straight from the {@link OutboundRequest} and the id
 * its table gave it: no frame object per write. A frame over the maximum size, or one the codec
 * refuses, fails its own write only. Stateless, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class RequestEncoder extends MessageToByteEncoder<OutboundRequest<?>> {

    private final int maxFrameSize;

    @SuppressWarnings({"unchecked", "rawtypes"})
    RequestEncoder(int maxFrameSize) {
        super((Class) OutboundRequest.class);
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundRequest<?> msg, ByteBuf out) {
        int start = out.writerIndex();
        try {
            FrameCodec.encodeRequest(msg.wireId, msg.request(), out);
        } catch (IllegalArgumentException e) {
            out.writerIndex(start);
            throw new EncoderException(e.getMessage(), e);
        }
        int size = out.writerIndex() - start - 4;
        if (size > maxFrameSize) {
            out.writerIndex(start);
            throw new EncoderException("frame of " + size + " bytes exceeds the maximum of " + maxFrameSize);
        }
    }
}
