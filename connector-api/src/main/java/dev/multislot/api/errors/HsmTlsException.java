package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The TLS handshake with an HSM failed: its certificate is not signed by the cluster's CA, names another address, or the HSM refused this client's certificate. The message names the CA file in use.
 */
public class HsmTlsException extends HsmConnectionException {

    public HsmTlsException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public HsmTlsException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
