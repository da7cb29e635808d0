package dev.multislot.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.logging.LogLevel;
import io.netty.handler.logging.LoggingHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WireQuietChannelTest {

    @Test
    void theLoggingHandlerTheSdkAddsIsGoneBeforeTheChannelConnects() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // What the SDK's ChannelPipelineInitializer does when a channel is registered.
            Channel ch = new Bootstrap().group(group).channelFactory(WireQuietChannel::new)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new LoggingHandler(LogLevel.DEBUG));
                            c.pipeline().addLast("other", new ChannelHandlerAdapter() { });
                        }
                    })
                    .connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()))
                    .sync().channel();

            assertThat(ch.pipeline().get(LoggingHandler.class)).isNull();
            assertThat(ch.pipeline().get("other")).isNotNull();
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
