package dev.multislot.local.internal.token;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The keys of one cluster, shared by all its HSMs (as a CloudHSM cluster synchronizes its HSMs).
 * Thread-safe and lock-free. Handles are positive and never reused within a cluster; each cluster
 * starts at a different random handle, so a handle from one cluster is almost never valid in
 * another, which makes mixed-up slots visible in tests.
 */
final class ClusterKeyStore {

    private final ConcurrentHashMap<Long, StoredKey> keys = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));

    /** Stores a key under a fresh handle made by {@code factory}. */
    StoredKey add(Function<Long, StoredKey> factory) {
        long handle = nextHandle.getAndIncrement();
        StoredKey key = factory.apply(handle);
        keys.put(handle, key);
        return key;
    }

    Optional<StoredKey> get(long handle) {
        return Optional.ofNullable(keys.get(handle));
    }

    boolean remove(long handle) {
        return keys.remove(handle) != null;
    }

    /** Keys with this label, or all keys if none is given, in handle order. */
    List<StoredKey> find(Optional<String> label) {
        List<StoredKey> found = new ArrayList<>();
        for (StoredKey k : keys.values()) {
            if (label.isEmpty() || label.get().equals(k.label())) {
                found.add(k);
            }
        }
        found.sort(Comparator.comparingLong(StoredKey::handle));
        return found;
    }

    int size() {
        return keys.size();
    }
}
