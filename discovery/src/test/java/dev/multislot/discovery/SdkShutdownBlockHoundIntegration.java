package dev.multislot.discovery;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * One allowance, for the AWS SDK's own shutdown: {@code NettyNioAsyncHttpClient.close()} closes its
 * channel pools on Netty's {@code GlobalEventExecutor}, and Netty's {@code SimpleChannelPool.close()}
 * waits there for each channel to close. Netty's BlockHound integration counts that thread as
 * non-blocking, so without this every client shutdown logs a BlockingOperationError (and leaves its
 * pool half-closed). It is the SDK's and Netty's code, on their thread, only while closing; nothing
 * of ours is exempted.
 */
public final class SdkShutdownBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.channel.pool.SimpleChannelPool", "close");
    }
}
