package dev.multislot.connector.internal.metrics;

/** Why a request is tried again; the {@code reason} tag of {@code multislot.retries}. */
public enum RetryReason {
    /** The HSM answered "busy"; the same request is sent again after a backoff. */
    BUSY("busy"),
    /** An attempt failed (connection lost, attempt timeout, never sent); another HSM is tried. */
    FAILOVER("failover");

    private final String tag;

    RetryReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
