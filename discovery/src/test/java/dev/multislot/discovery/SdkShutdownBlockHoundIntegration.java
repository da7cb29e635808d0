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
 *
 * <p>And Netty 4.2's default buffer allocator, which takes a magazine's {@code StampedLock} write
 * lock for a few field updates when it frees a magazine; Netty's own integration does not allow
 * that method yet.
 */
public final class SdkShutdownBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.channel.pool.SimpleChannelPool", "close");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
