package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;

/**
 * The slot already holds its maximum of pending requests; this one was refused at once rather
 * than queued without bound. Back off or raise the limit.
 */
public class SlotOverloadedException extends HsmConnectorException {

    private final int limit;

    public SlotOverloadedException(ClusterId clusterId, int limit) {
        super("slot overloaded: " + limit + " requests already pending (the max-pending-per-slot limit)", clusterId, null);
        this.limit = limit;
    }

    /** The pending-request limit that was reached. */
    public int limit() {
        return limit;
    }
}
