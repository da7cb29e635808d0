package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.ResponseFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a connection's pipeline: hands decoded answers, errors and the close to
 * the {@link HsmConnection}. It consumes every frame, so nothing reaches Reactor Netty's own
 * inbound bridge.
 */
public final class ResponseHandler extends ChannelInboundHandlerAdapter {

    private final HsmConnection connection;

    ResponseHandler(HsmConnection connection) {
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // The peer may have closed the channel before this handler joined the pipeline.
        if (!ctx.channel().isActive()) {
            connection.onInactive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ResponseFrame frame) {
            connection.onResponse(frame);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.onReadComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.onException(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.onInactive();
        ctx.fireChannelInactive();
    }
}
