package dev.multislot.config.internal;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ConfigDiff;
import dev.multislot.api.spi.ConfigUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the shared watch states into one subscriber's items. Each diff is computed against what
 * this subscriber was last given, so a slow subscriber that skipped states still gets correct diffs.
 * Not thread-safe: one instance per subscription, called serially.
 */
public final class SubscriberView {

    private final String source;
    private List<ClusterConfig> delivered;
    private ConfigUpdate.Rejected lastRejection;
    private boolean rejectionShown;

    public SubscriberView(String source) {
        this.source = source;
    }

    /** The items this state means for this subscriber: none, a Loaded, a Rejected, or both. */
    public List<ConfigUpdate> next(WatchState state) {
        List<ConfigUpdate> out = new ArrayList<>(2);
        if (state.inForce().isPresent()) {
            List<ClusterConfig> now = state.inForce().get();
            if (delivered == null) {
                out.add(new ConfigUpdate.Loaded(source, now, ConfigDiff.between(List.of(), now)));
                delivered = now;
            } else {
                ConfigDiff diff = ConfigDiff.between(delivered, now);
                // An empty diff is worth an item only to say that a refused file is good again.
                boolean recovered = rejectionShown && state.rejection().isEmpty();
                if (!diff.isEmpty() || recovered) {
                    out.add(new ConfigUpdate.Loaded(source, now, diff));
                    delivered = now;
                }
            }
        }
        ConfigUpdate.Rejected rejection = state.rejection().orElse(null);
        if (rejection != null && rejection != lastRejection) {
            out.add(rejection);
        }
        lastRejection = rejection;
        rejectionShown = rejection != null;
        return out;
    }
}
