package dev.multislot.connector.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.SlotId;
import dev.multislot.connector.internal.slot.SlotImpl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slots configured at one moment, in config order, with their indexes by cluster and by slot
 * id: what the connector's registry thread publishes after each change and every lookup reads.
 */
record SlotSnapshot(List<SlotImpl> slots, Map<ClusterId, SlotImpl> byCluster, Map<SlotId, SlotImpl> byId) {
    static final SlotSnapshot EMPTY = new SlotSnapshot(List.of(), Map.of(), Map.of());

    static SlotSnapshot of(List<SlotImpl> ordered) {
        Map<ClusterId, SlotImpl> byCluster = new LinkedHashMap<>();
        Map<SlotId, SlotImpl> byId = new LinkedHashMap<>();
        for (SlotImpl s : ordered) {
            byCluster.put(s.clusterId(), s);
            byId.put(s.id(), s);
        }
        return new SlotSnapshot(List.copyOf(ordered), Collections.unmodifiableMap(byCluster),
                Collections.unmodifiableMap(byId));
    }

    SlotSnapshot without(SlotImpl slot) {
        List<SlotImpl> rest = new ArrayList<>(slots);
        rest.remove(slot);
        return of(rest);
    }
}
