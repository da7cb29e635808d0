package dev.multislot.connector.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.SlotId;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives each cluster id a slot id the first time it is seen and the same one ever after, so a
 * number is never reused for another cluster, even when a cluster is removed and added back.
 * Used by the registry thread only.
 */
final class SlotIds {

    private final Map<ClusterId, SlotId> ids = new HashMap<>();
    private long next;

    SlotId idFor(ClusterId clusterId) {
        return ids.computeIfAbsent(clusterId, c -> new SlotId(next++));
    }
}
