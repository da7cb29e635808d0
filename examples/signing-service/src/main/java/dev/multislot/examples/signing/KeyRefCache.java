package dev.multislot.examples.signing;

import dev.multislot.api.ClusterId;
import dev.multislot.api.KeyRef;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.KeyNotFoundException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Key handles already looked up, so that a sign or verify costs one HSM request instead of two (the
 * lookup tells the key's type, which picks the mechanism). Bounded: past {@link #MAX_ENTRIES} it
 * starts again empty. A key that an HSM no longer knows is forgotten.
 */
@Component
class KeyRefCache {

    static final int MAX_ENTRIES = 10_000;

    private record Entry(ClusterId clusterId, long handle) {
    }

    private final Map<Entry, KeyRef> keys = new ConcurrentHashMap<>();

    Mono<KeyRef> key(ClusterId clusterId, SlotSession session, long handle) {
        Entry entry = new Entry(clusterId, handle);
        KeyRef known = keys.get(entry);
        if (known != null) {
            return Mono.just(known);
        }
        return session.key(handle).doOnNext(key -> {
            if (keys.size() >= MAX_ENTRIES) {
                keys.clear();
            }
            keys.put(entry, key);
        });
    }

    /** Drops a key the HSMs answered "not found" for (deleted elsewhere). */
    <T> Mono<T> forgetIfMissing(ClusterId clusterId, long handle, Mono<T> call) {
        return call.doOnError(KeyNotFoundException.class, e -> keys.remove(new Entry(clusterId, handle)));
    }
}
