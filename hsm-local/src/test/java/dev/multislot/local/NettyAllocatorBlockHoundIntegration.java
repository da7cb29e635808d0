package dev.multislot.local;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * For hsm-local's tests: Netty 4.2's default buffer allocator takes a magazine's
 * {@code StampedLock} write lock for a few field updates when it frees a magazine, which Netty's
 * own BlockHound integration does not allow yet. A thread parking there for a moment under
 * contention is not blocking I/O. (The connector ships the same allowance for its users.)
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
