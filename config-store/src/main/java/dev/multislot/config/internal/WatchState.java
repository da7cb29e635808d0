package dev.multislot.config.internal;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ConfigUpdate;
import java.util.List;
import java.util.Optional;

/**
 * The watcher's state after a change, shared by all subscribers: the config in force (none until a
 * valid file was seen) and, while the current file is refused, why. A new {@code rejection}
 * object means a new rejection; subscribers compare it by identity.
 */
public record WatchState(Optional<List<ClusterConfig>> inForce, Optional<ConfigUpdate.Rejected> rejection) {

    public WatchState {
        inForce = inForce.map(List::copyOf);
    }
}
