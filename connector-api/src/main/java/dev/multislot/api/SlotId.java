package dev.multislot.api;

/**
 * The stable identifier of a slot inside one {@link HsmConnector}.
 *
 * <p>A connector gives each cluster id the next free number the first time it sees it, starting
 * at 0, and never gives that number to another cluster, so an id stays valid across reloads even
 * when clusters before it are removed. It is not the PKCS#11 position of the slot in the config:
 * that is {@link Slot#index()}, which can shift.
 *
 * @param value a non-negative number
 */
public record SlotId(long value) {

    public SlotId {
        if (value < 0) {
            throw new IllegalArgumentException("slot id must be >= 0, was " + value);
        }
    }

    @Override
    public String toString() {
        return "slot-" + value;
    }
}
