package dev.multislot.api.spi;

import dev.multislot.api.ClusterId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one config differs from the one before it.
 *
 * @param added clusters new in this config, in config order
 * @param removed ids of clusters no longer configured
 * @param changed clusters present in both whose settings differ (their new settings)
 */
public record ConfigDiff(List<ClusterConfig> added, List<ClusterId> removed, List<ClusterConfig> changed) {

    public ConfigDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /** The diff from {@code before} to {@code after}; an empty {@code before} makes every cluster added. */
    public static ConfigDiff between(List<ClusterConfig> before, List<ClusterConfig> after) {
        Map<ClusterId, ClusterConfig> old = new LinkedHashMap<>();
        before.forEach(c -> old.put(c.clusterId(), c));
        List<ClusterConfig> added = new ArrayList<>();
        List<ClusterConfig> changed = new ArrayList<>();
        for (ClusterConfig c : after) {
            ClusterConfig previous = old.remove(c.clusterId());
            if (previous == null) {
                added.add(c);
            } else if (!previous.equals(c)) {
                changed.add(c);
            }
        }
        return new ConfigDiff(added, List.copyOf(old.keySet()), changed);
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }
}
