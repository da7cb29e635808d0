package dev.multislot.connector;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The tests' logging backend, slf4j-simple, writes each line synchronously (to stderr, or to a
 * file in the TRACE execution): a test backend's choice, not the connector's, so BlockHound lets
 * it write. An application picks its own backend (an asynchronous appender keeps event loops
 * free of file I/O). Everything else on event loops stays checked.
 */
public final class TestLogBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("org.slf4j.simple.SimpleLogger", "write");
    }
}
