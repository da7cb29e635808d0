package dev.multislot.api;

import java.util.Objects;

/**
 * A reference to a key held by the HSMs of one cluster.
 *
 * <p>The handle is the cluster-wide key number: every HSM of a cluster holds the same keys, as a
 * CloudHSM cluster replicates them, so a {@code KeyRef} obtained from any HSM of a slot is valid
 * on all of them. It is not valid on another slot. The label is informational; operations use the
 * handle.
 *
 * @param handle the key's number in its cluster, positive
 * @param label the label given when the key was created, possibly empty, never null
 * @param type what kind of key it is
 */
public record KeyRef(long handle, String label, KeyType type) {

    public KeyRef {
        if (handle <= 0) {
            throw new IllegalArgumentException("key handle must be > 0, was " + handle);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
    }
}
