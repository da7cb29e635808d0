package dev.multislot.connector.internal.transport;

/**
 * Requests that reached the connection while the HSM's limit of requests on the wire was taken,
 * in arrival order; linked through the requests themselves, so waiting allocates nothing.
 * Confined to the connection's event loop.
 */
final class WaitList {

    private OutboundRequest<?> head;
    private OutboundRequest<?> tail;

    boolean isEmpty() {
        return head == null;
    }

    OutboundRequest<?> head() {
        return head;
    }

    void add(OutboundRequest<?> r) {
        r.waiting = true;
        r.prevWaiting = tail;
        r.nextWaiting = null;
        if (tail == null) {
            head = r;
        } else {
            tail.nextWaiting = r;
        }
        tail = r;
    }

    /** Takes {@code r} out of the list; false when it was not waiting. */
    boolean remove(OutboundRequest<?> r) {
        if (!r.waiting) {
            return false;
        }
        r.waiting = false;
        OutboundRequest<?> prev = r.prevWaiting;
        OutboundRequest<?> next = r.nextWaiting;
        if (prev == null) {
            head = next;
        } else {
            prev.nextWaiting = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prevWaiting = prev;
        }
        r.prevWaiting = null;
        r.nextWaiting = null;
        return true;
    }

    /** Empties the list and returns its former head; the caller walks it with {@link #next}. */
    OutboundRequest<?> takeAll() {
        OutboundRequest<?> first = head;
        head = null;
        tail = null;
        return first;
    }

    /** While walking what {@link #takeAll} returned: unlinks {@code r} and returns the one after it. */
    static OutboundRequest<?> next(OutboundRequest<?> r) {
        OutboundRequest<?> n = r.nextWaiting;
        r.waiting = false;
        r.prevWaiting = null;
        r.nextWaiting = null;
        return n;
    }
}
