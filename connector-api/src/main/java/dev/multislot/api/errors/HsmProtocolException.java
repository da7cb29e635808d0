package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * An HSM sent something that breaks the wire protocol; the connection it came on is closed.
 */
public class HsmProtocolException extends HsmConnectorException {

    public HsmProtocolException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public HsmProtocolException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
