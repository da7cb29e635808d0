package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.Optional;

/**
 * The root of every error that HSMs, the network, discovery or configuration cause.
 *
 * <p>Unchecked, as errors in reactive chains are. Where it is known, the error names the cluster
 * and the HSM it came from; {@link #getMessage()} includes both.
 */
public abstract class HsmConnectorException extends RuntimeException {

    private final ClusterId clusterId;
    private final HsmAddress hsm;

    protected HsmConnectorException(String message, ClusterId clusterId, HsmAddress hsm, Throwable cause) {
        super(decorate(message, clusterId, hsm), cause);
        this.clusterId = clusterId;
        this.hsm = hsm;
    }

    protected HsmConnectorException(String message, ClusterId clusterId, HsmAddress hsm) {
        this(message, clusterId, hsm, null);
    }

    private static String decorate(String message, ClusterId clusterId, HsmAddress hsm) {
        if (clusterId == null && hsm == null) {
            return message;
        }
        StringBuilder prefix = new StringBuilder();
        if (clusterId != null) {
            prefix.append(clusterId);
        }
        if (hsm != null) {
            prefix.append(clusterId != null ? " " : "").append("HSM ").append(hsm);
        }
        return prefix + ": " + message;
    }

    /** The cluster the error concerns, if it concerns one. */
    public Optional<ClusterId> clusterId() {
        return Optional.ofNullable(clusterId);
    }

    /** The HSM the error came from, if it came from one. */
    public Optional<HsmAddress> hsm() {
        return Optional.ofNullable(hsm);
    }
}
