package dev.multislot.local.internal.proxy;

import java.time.Duration;

/**
 * The faults that last until they are switched off, as one immutable snapshot: each chunk of bytes
 * reads the snapshot in force when it arrives.
 *
 * @param latency added to every chunk, each way
 * @param jitter up to this much more, drawn per chunk (order is kept)
 * @param bytesPerSecond the rate cap each way; 0 for none
 * @param stalled no bytes are read, so none are forwarded; connections stay open
 * @param oneByteAtATime every byte is written and flushed on its own
 */
public record FaultSettings(Duration latency, Duration jitter, long bytesPerSecond, boolean stalled,
                            boolean oneByteAtATime) {

    public static final FaultSettings NONE = new FaultSettings(Duration.ZERO, Duration.ZERO, 0, false, false);

    public FaultSettings withLatency(Duration newLatency, Duration newJitter) {
        return new FaultSettings(newLatency, newJitter, bytesPerSecond, stalled, oneByteAtATime);
    }

    public FaultSettings withBandwidth(long newBytesPerSecond) {
        return new FaultSettings(latency, jitter, newBytesPerSecond, stalled, oneByteAtATime);
    }

    public FaultSettings withStall(boolean on) {
        return new FaultSettings(latency, jitter, bytesPerSecond, on, oneByteAtATime);
    }

    public FaultSettings withOneByteAtATime(boolean on) {
        return new FaultSettings(latency, jitter, bytesPerSecond, stalled, on);
    }
}
