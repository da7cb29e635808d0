package dev.multislot.api.spi;

/**
 * The state the CloudHSM API reports for one HSM, and whether a connector may use it.
 */
public enum HsmState {
    /** Being created: it has an address but does not serve yet. Reported, not used. */
    CREATE_IN_PROGRESS(false),
    /** Serving. Used. */
    ACTIVE(true),
    /** Serving with a problem AWS is repairing (for example a replica behind). Used: it still answers, and its breaker guards it. */
    DEGRADED(true),
    /** Being deleted: it may stop at any moment. Never used. */
    DELETE_IN_PROGRESS(false),
    /** Deleted. Never used. */
    DELETED(false),
    /** A state this library does not know. Not used, to be safe. */
    UNKNOWN(false);

    private final boolean usable;

    HsmState(boolean usable) {
        this.usable = usable;
    }

    /** Whether a connector sends requests to an HSM in this state. */
    public boolean isUsable() {
        return usable;
    }

    /** The state for the API's string, {@link #UNKNOWN} for one this library does not know. */
    public static HsmState fromApi(String value) {
        if (value != null) {
            for (HsmState s : values()) {
                if (s.name().equals(value)) {
                    return s;
                }
            }
        }
        return UNKNOWN;
    }
}
