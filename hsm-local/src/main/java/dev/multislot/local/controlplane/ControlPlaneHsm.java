package dev.multislot.local.controlplane;

import java.util.Objects;

/**
 * One HSM as the fake control plane describes it.
 *
 * <p>The state is a free string so that tests can also send states a client does not know; the
 * states the real API uses are the constants of this type.
 *
 * @param hsmId the HSM's id, such as {@code hsm-abc123}; never blank
 * @param eniIp the address clients connect to; {@code null} is sent as an absent {@code EniIp}
 *              (as for an HSM still being created)
 * @param availabilityZone its availability zone, such as {@code us-east-1a}; never blank
 * @param state its state, such as {@link #ACTIVE}; never blank
 * @param port the port the HSM listens on, reported to Multislot's discovery in a response header
 *             that only it reads (the API has no port: CloudHSM HSMs listen on 2223); 0 = not reported
 * @param eniIpV6 its IPv6 address, which HSMs of a {@code DUALSTACK} cluster have; {@code null} is
 *              sent as an absent {@code EniIpV6}
 */
public record ControlPlaneHsm(String hsmId, String eniIp, String availabilityZone, String state, int port, String eniIpV6) {

    /** Being created. */
    public static final String CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS";
    /** Serving. */
    public static final String ACTIVE = "ACTIVE";
    /** Serving, with a problem AWS is repairing. */
    public static final String DEGRADED = "DEGRADED";
    /** Being deleted. */
    public static final String DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS";
    /** Deleted. */
    public static final String DELETED = "DELETED";

    public ControlPlaneHsm {
        requireText(hsmId, "hsmId");
        requireText(availabilityZone, "availabilityZone");
        requireText(state, "state");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (not reported) to 65535, got " + port);
        }
    }

    /** An HSM whose port is not reported (clients use 2223, or their config's port), without an IPv6 address. */
    public ControlPlaneHsm(String hsmId, String eniIp, String availabilityZone, String state) {
        this(hsmId, eniIp, availabilityZone, state, 0, null);
    }

    /** An HSM without an IPv6 address. */
    public ControlPlaneHsm(String hsmId, String eniIp, String availabilityZone, String state, int port) {
        this(hsmId, eniIp, availabilityZone, state, port, null);
    }

    /** This HSM with its port reported. */
    public ControlPlaneHsm withPort(int newPort) {
        return new ControlPlaneHsm(hsmId, eniIp, availabilityZone, state, newPort, eniIpV6);
    }

    /** This HSM with an IPv6 address (as in a {@code DUALSTACK} cluster). */
    public ControlPlaneHsm withEniIpV6(String address) {
        return new ControlPlaneHsm(hsmId, eniIp, availabilityZone, state, port, address);
    }

    /** An {@link #ACTIVE} HSM. */
    public static ControlPlaneHsm active(String hsmId, String eniIp, String availabilityZone) {
        return new ControlPlaneHsm(hsmId, eniIp, availabilityZone, ACTIVE);
    }

    /** This HSM in another state. */
    public ControlPlaneHsm withState(String newState) {
        return new ControlPlaneHsm(hsmId, eniIp, availabilityZone, newState, port, eniIpV6);
    }

    static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
