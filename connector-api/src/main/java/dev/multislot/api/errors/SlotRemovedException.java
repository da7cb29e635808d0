package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The slot's cluster was removed from the config (or the connector closed the slot) before the request could finish.
 */
public class SlotRemovedException extends HsmConnectorException {

    public SlotRemovedException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public SlotRemovedException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
