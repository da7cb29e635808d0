package dev.multislot.local;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * For hsm-local's tests: short locks inside libraries that run on event loops, each held for a
 * few field updates and never across I/O, so a thread parking there for a moment under
 * contention is not blocking:
 * <ul>
 *   <li>Netty 4.2's default buffer allocator takes a magazine's {@code StampedLock} write lock
 *       when it frees a magazine; Netty's own BlockHound integration does not allow it yet (the
 *       connector ships the same allowance for its users);</li>
 *   <li>Jackson's {@code DeserializerCache} builds a type's deserializer once, under a
 *       {@code ReentrantLock} (the control plane and its test client parse JSON on the loop).</li>
 * </ul>
 */
public final class LibraryLocksBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
        builder.allowBlockingCallsInside("com.fasterxml.jackson.databind.deser.DeserializerCache",
                "_createAndCacheValueDeserializer");
    }
}
