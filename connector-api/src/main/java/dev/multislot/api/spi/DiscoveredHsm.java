package dev.multislot.api.spi;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One HSM as the CloudHSM API describes it.
 *
 * @param hsmId the HSM's id, such as {@code hsm-abc123}
 * @param eniIp the IP address of its elastic network interface: where clients connect
 * @param availabilityZone its availability zone
 * @param state its state
 * @param port the port it listens on, when the answer said so (AWS never does: its HSMs listen on
 *     2223; hsm-local's control plane does, for HSMs started on other ports)
 */
public record DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state, OptionalInt port) {

    public DiscoveredHsm {
        Objects.requireNonNull(hsmId, "hsmId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(port, "port");
    }

    /** An HSM whose port the answer did not give. */
    public DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state) {
        this(hsmId, eniIp, availabilityZone, state, OptionalInt.empty());
    }

    /** Whether it has an address and a state that a connector uses ({@link HsmState#isUsable()}). */
    public boolean isUsable() {
        return state.isUsable() && eniIp != null && !eniIp.isBlank();
    }
}
