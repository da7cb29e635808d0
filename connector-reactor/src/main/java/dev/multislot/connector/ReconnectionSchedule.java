package dev.multislot.connector;

import java.time.Duration;

/**
 * How long to wait before each attempt to re-open a lost HSM connection.
 *
 * <p>A connector asks its {@link HsmConnectorOptions#reconnectionSchedules() factory} for a fresh
 * schedule whenever a connection is lost after having worked, and calls {@link #nextDelay()} once
 * before each attempt, so a schedule needs no reset method: it is simply dropped once a connection
 * succeeds. A schedule is used by one connection at a time and need not be thread-safe.
 *
 * <p>The default doubles the delay from {@link SlotOptionsSpec#reconnectDelay(Duration)} up to
 * {@link SlotOptionsSpec#reconnectMaxDelay(Duration)}, with full jitter.
 */
@FunctionalInterface
public interface ReconnectionSchedule {

    /** The delay before the next attempt; never negative. */
    Duration nextDelay();
}
