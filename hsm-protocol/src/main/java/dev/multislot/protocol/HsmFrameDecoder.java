package dev.multislot.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

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

    /** Which end this decoder serves. */
    public enum Side { CLIENT, SERVER }

    private final Side side;
    private final int maxFrameSize;

    public HsmFrameDecoder(Side side, int maxFrameSize) {
        super(maxFrameSize, 0, 4, 0, 4, true);
        if (maxFrameSize < ProtocolConstants.MIN_MAX_FRAME_SIZE || maxFrameSize > ProtocolConstants.DEFAULT_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize must be " + ProtocolConstants.MIN_MAX_FRAME_SIZE + ".."
                    + ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + ", was " + maxFrameSize);
        }
        this.side = side;
        this.maxFrameSize = maxFrameSize;
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
            return side == Side.SERVER ? FrameCodec.decodeRequest(frame) : FrameCodec.decodeResponse(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, java.nio.ByteOrder order) {
        long len = super.getUnadjustedFrameLength(buf, offset, length, order);
        // The prefix is an unsigned 32-bit number; Netty reads it signed, so a huge length would
        // look negative and be reported as "negative length" rather than "too long".
        return len < 0 ? len & 0xFFFFFFFFL : len;
    }
}
