package dev.multislot.connector.internal.transport;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;

/** The one place that turns whatever a connection step failed with into the API's error type. */
public final class HsmErrors {

    private HsmErrors() {
    }

    /**
     * {@code error} itself when it is already an {@link HsmConnectorException}; otherwise an
     * {@link HsmConnectionException} saying what failed ({@code what}, e.g. "login replay failed")
     * with {@code error} as its cause.
     */
    public static HsmConnectorException asHsmError(Throwable error, String what, ClusterId clusterId, HsmAddress hsm) {
        if (error instanceof HsmConnectorException h) {
            return h;
        }
        return new HsmConnectionException(what + ": " + error, clusterId, hsm, error);
    }
}
