package dev.multislot.local.internal.proxy;

import dev.multislot.local.faults.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Hands what one channel reads to its connection, to be forwarded in {@code direction}. */
final class Relay extends ChannelInboundHandlerAdapter {

    private final Direction direction;
    private ProxiedConnection connection;

    Relay(Direction direction) {
        this.direction = direction;
    }

    void attach(ProxiedConnection c) {
        this.connection = c;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection == null || !(msg instanceof ByteBuf chunk)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        connection.forward(direction, chunk);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.updateReading();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.peerClosed(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset from either peer is an expected end here: close both sides, quietly.
        ctx.close();
    }
}
