package dev.multislot.connector.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound (when an application installs it) about the one short lock the connector's
 * request path takes on event loops: Resilience4j's count-based sliding window guards each
 * recorded call with a {@code ReentrantLock} held for a few field updates, never across I/O.
 * Under contention a thread may park there for a moment, which BlockHound would otherwise report
 * as blocking. Loaded through {@code ServiceLoader} by BlockHound only.
 */
public final class ConnectorBlockHoundIntegration implements BlockHoundIntegration {

    private static final String WINDOW = "io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics";

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(WINDOW, "record");
        builder.allowBlockingCallsInside(WINDOW, "getSnapshot");
    }
}
