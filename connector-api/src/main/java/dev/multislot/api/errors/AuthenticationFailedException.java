package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;

/**
 * The HSM rejected the user name or password. Never retried, so that a wrong password does not lock the user out. The message names the user, never the password.
 */
public class AuthenticationFailedException extends HsmConnectorException {

    public AuthenticationFailedException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(message, clusterId, hsm, cause);
    }

    public AuthenticationFailedException(String message, ClusterId clusterId, HsmAddress hsm) {
        super(message, clusterId, hsm, null);
    }
}
