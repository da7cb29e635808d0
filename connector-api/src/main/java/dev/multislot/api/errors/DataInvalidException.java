package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The input is not acceptable: a ciphertext that fails authentication, data too long, a malformed signature, a label too long.
 */
public class DataInvalidException extends HsmConnectorException {

    public DataInvalidException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public DataInvalidException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
