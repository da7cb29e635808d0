package dev.multislot.discovery.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.logging.LoggingHandler;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The socket channel the SDK's HTTP client gets: one that takes Netty's {@link LoggingHandler} out
 * of its pipeline before it connects, so before a byte is sent.
 *
 * <p>Why: the SDK puts a {@code LoggingHandler} in every HTTP/1.1 pipeline it builds (when the
 * channel is registered), and that handler dumps every byte sent and received, the
 * {@code X-Amz-Security-Token} header included, whenever {@code io.netty.handler.logging.LoggingHandler}
 * logs at DEBUG, in whatever logging backend the application uses. The SDK has no switch for it.
 * Until the connect, the handler has only seen the registration and the connect call, which carry
 * no secret.
 */
final class WireQuietChannel extends NioSocketChannel {

    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        removeLoggingHandlers(pipeline());
        return super.doConnect(remoteAddress, localAddress);
    }

    static void removeLoggingHandlers(ChannelPipeline pipeline) {
        List<ChannelHandler> loggers = new ArrayList<>();
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getValue() instanceof LoggingHandler) {
                loggers.add(e.getValue());
            }
        }
        loggers.forEach(pipeline::remove);
    }
}
