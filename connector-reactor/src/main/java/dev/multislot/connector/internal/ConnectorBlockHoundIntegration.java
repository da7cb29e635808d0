package dev.multislot.connector.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound (when an application installs it) about the short locks the connector's
 * request path takes on event loops, each held for a few field updates and never across I/O, so
 * that a thread that parks there for a moment under contention is not reported as blocking:
 * <ul>
 *   <li>Resilience4j's count-based sliding window guards each recorded call with a
 *       {@code ReentrantLock};</li>
 *   <li>Netty 4.2's default buffer allocator ({@code AdaptivePoolingAllocator}) takes a
 *       magazine's {@code StampedLock} write lock when it frees a magazine (after it grew the
 *       magazines under contention). Netty's own BlockHound integration does not cover this
 *       method yet; other libraries on Netty 4.2 allow it the same way.</li>
 * </ul>
 * Loaded through {@code ServiceLoader} by BlockHound only.
 */
public final class ConnectorBlockHoundIntegration implements BlockHoundIntegration {

    private static final String WINDOW = "io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics";
    private static final String MAGAZINE = "io.netty.buffer.AdaptivePoolingAllocator$Magazine";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(WINDOW, "record");
        builder.allowBlockingCallsInside(WINDOW, "getSnapshot");
        builder.allowBlockingCallsInside(MAGAZINE, "free");
    }
}
