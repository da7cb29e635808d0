package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import java.util.List;

/**
 * No slot is configured for the cluster asked for. The message lists the configured cluster ids.
 */
public class SlotNotFoundException extends HsmConnectorException {

    private final List<ClusterId> configured;

    public SlotNotFoundException(ClusterId clusterId, List<ClusterId> configured) {
        super("no slot is configured for this cluster; configured: " + (configured.isEmpty() ? "none" : configured),
                clusterId, null);
        this.configured = List.copyOf(configured);
    }

    /** The cluster ids that were configured when the lookup failed. */
    public List<ClusterId> configured() {
        return configured;
    }
}
