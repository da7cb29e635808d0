package dev.multislot.connector.internal.transport;

/**
 * The request-id table of one connection: which written request each id names.
 *
 * <p>{@code capacity} places (a power of two); an id is the place in its low bits and a generation
 * in its high bits that grows with every reuse of the place, so a late answer to a request that
 * has ended (cancelled, timed out) no longer matches the id in the table and is recognised as
 * late. Id 0 is never given out: the HSM uses it for connection-level errors. Confined to the
 * connection's event loop.
 */
final class RequestTable {

    private final int mask;
    private final int indexBits;
    private final OutboundRequest<?>[] entries;
    private final int[] ids;
    private final int[] free;
    private int freeTop;

    RequestTable(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        this.mask = capacity - 1;
        this.indexBits = Integer.numberOfTrailingZeros(capacity);
        this.entries = new OutboundRequest<?>[capacity];
        this.ids = new int[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
            ids[i] = i;
        }
        this.freeTop = capacity;
    }

    int capacity() {
        return entries.length;
    }

    /** Places not taken. */
    int freePlaces() {
        return freeTop;
    }

    int occupied() {
        return entries.length - freeTop;
    }

    /** Gives {@code r} a free place (there must be one) and returns its new id. */
    int put(OutboundRequest<?> r) {
        int index = free[--freeTop];
        int id = (((ids[index] >>> indexBits) + 1) << indexBits) | index;
        if (id == 0) {
            // The generation wrapped to 0 at place 0: skip it, id 0 is the HSM's.
            id = 1 << indexBits;
        }
        ids[index] = id;
        entries[index] = r;
        r.index = index;
        r.wireId = id;
        return id;
    }

    /** The request {@code id} names now, or null when none does (a late or unknown answer). */
    OutboundRequest<?> get(int id) {
        int index = id & mask;
        OutboundRequest<?> r = entries[index];
        return r != null && ids[index] == id ? r : null;
    }

    /** Frees {@code r}'s place; false when it held none (already removed, or never written). */
    boolean remove(OutboundRequest<?> r) {
        int index = r.index;
        if (index < 0 || entries[index] != r) {
            return false;
        }
        entries[index] = null;
        free[freeTop++] = index;
        r.index = -1;
        return true;
    }

    /** The request at place {@code index}, or null; for sweeps and the close, which visit every place. */
    OutboundRequest<?> at(int index) {
        return entries[index];
    }
}
