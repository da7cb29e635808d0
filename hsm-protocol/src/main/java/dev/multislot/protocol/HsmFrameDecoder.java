package dev.multislot.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into frames and decodes them: into {@link RequestFrame}s on the HSM
 * side, {@link ResponseFrame}s on the client side.
 *
 * <p>A length over the maximum frame size is refused as soon as the length prefix arrives, before
 * the frame's bytes are buffered, so a peer cannot make this end allocate more than the maximum.
 * Every malformed input surfaces as one {@link ProtocolViolationException} in
 * {@code exceptionCaught}; the handler that sees it closes the connection.
 */
public final class HsmFrameDecoder extends LengthFieldBasedFrameDecoder {

    private static final Logger log = LoggerFactory.getLogger(HsmFrameDecoder.class);

    /** Which end this decoder serves. */
    public enum Side { CLIENT, SERVER }

    private final Side side;
    private final int maxFrameSize;

    /**
     * @param side which frames to expect: {@link Side#SERVER} decodes requests, {@link Side#CLIENT}
     *     responses
     * @param maxFrameSize the largest frame accepted, in bytes after the length prefix (the same
     *     count {@link HsmFrameEncoder} limits); {@value ProtocolConstants#MIN_MAX_FRAME_SIZE} to
     *     {@value ProtocolConstants#DEFAULT_MAX_FRAME_SIZE}
     * @throws IllegalArgumentException if {@code maxFrameSize} is outside that range
     */
    public HsmFrameDecoder(Side side, int maxFrameSize) {
        // Netty's limit counts the 4-byte prefix as part of the frame; ours does not.
        super(checkMaxFrameSize(maxFrameSize) + 4, 0, 4, 0, 4, true);
        this.side = Objects.requireNonNull(side, "side");
        this.maxFrameSize = maxFrameSize;
    }

    private static int checkMaxFrameSize(int maxFrameSize) {
        if (maxFrameSize < ProtocolConstants.MIN_MAX_FRAME_SIZE || maxFrameSize > ProtocolConstants.DEFAULT_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be " + ProtocolConstants.MIN_MAX_FRAME_SIZE + ".."
                    + ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + ", was " + maxFrameSize);
        }
        return maxFrameSize;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            throw new ProtocolViolationException("frame larger than the maximum of " + maxFrameSize + " bytes");
        }
        if (frame == null) {
            return null;
        }
        try {
            if (frame.readableBytes() < ProtocolConstants.HEADER_SIZE) {
                throw new ProtocolViolationException("frame of " + frame.readableBytes() + " bytes is shorter than the "
                        + ProtocolConstants.HEADER_SIZE + "-byte header");
            }
            int length = frame.readableBytes();
            if (side == Side.SERVER) {
                RequestFrame r = FrameCodec.decodeRequest(frame);
                if (log.isTraceEnabled()) {
                    log.trace("{} received {} id {} length {}", ctx.channel(), r.request().opcode(), r.requestId(), length);
                }
                return r;
            }
            ResponseFrame r = FrameCodec.decodeResponse(frame);
            if (log.isTraceEnabled()) {
                log.trace("{} received {} {} id {} length {}", ctx.channel(), r.opcode(), r.status(), r.requestId(), length);
            }
            return r;
        } finally {
            frame.release();
        }
    }
}
