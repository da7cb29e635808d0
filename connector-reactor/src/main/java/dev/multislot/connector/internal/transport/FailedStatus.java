package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;

/**
 * An answer whose status says the HSM itself is in trouble (busy, or a protocol error), carried
 * as an error signal so that the circuit breaker records it as a failure. Other statuses travel
 * as ordinary responses. Stackless.
 */
public final class FailedStatus extends RuntimeException {

    private final ResponseFrame frame;

    public FailedStatus(ResponseFrame frame) {
        super(frame.status().name(), null, false, false);
        this.frame = frame;
    }

    public ResponseFrame frame() {
        return frame;
    }

    public Status status() {
        return frame.status();
    }

    /** Whether an answer with this status travels as a {@link FailedStatus}. */
    public static boolean isHsmFault(Status status) {
        return status == Status.HSM_BUSY || status == Status.PROTOCOL_ERROR || status == Status.VERSION_UNSUPPORTED;
    }
}
