package dev.multislot.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes {@link RequestFrame}s and {@link ResponseFrame}s; other messages pass through. A frame
 * over the maximum size, or one {@link FrameCodec} refuses, fails its own write with an
 * {@link EncoderException}: nothing of it is written and the connection stays open. Stateless,
 * so one instance may serve many channels.
 */
@ChannelHandler.Sharable
public final class HsmFrameEncoder extends MessageToByteEncoder<Object> {

    private static final Logger log = LoggerFactory.getLogger(HsmFrameEncoder.class);

    private final int maxFrameSize;

    public HsmFrameEncoder(int maxFrameSize) {
        super(Object.class);
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof RequestFrame || msg instanceof ResponseFrame;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        int start = out.writerIndex();
        if (msg instanceof RequestFrame r) {
            FrameCodec.encodeRequest(r, out);
        } else {
            FrameCodec.encodeResponse((ResponseFrame) msg, out);
        }
        int size = out.writerIndex() - start - 4;
        if (size > maxFrameSize) {
            out.writerIndex(start);
            throw new EncoderException("frame of " + size + " bytes exceeds the maximum of " + maxFrameSize);
        }
        if (log.isTraceEnabled()) {
            // Never the payload: what is sent, under which id, and how big.
            if (msg instanceof RequestFrame r) {
                log.trace("{} sent {} id {} length {}", ctx.channel(), r.request().opcode(), r.requestId(), size);
            } else {
                ResponseFrame r = (ResponseFrame) msg;
                log.trace("{} sent {} {} id {} length {}", ctx.channel(), r.opcode(), r.status(), r.requestId(), size);
            }
        }
    }
}
