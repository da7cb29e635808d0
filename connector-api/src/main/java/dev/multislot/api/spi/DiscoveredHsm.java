package dev.multislot.api.spi;

import java.util.Objects;

/**
 * One HSM as the CloudHSM API describes it.
 *
 * @param hsmId the HSM's id, such as {@code hsm-abc123}
 * @param eniIp the IP address of its elastic network interface: where clients connect
 * @param availabilityZone its availability zone
 * @param state its state
 */
public record DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state) {

    public DiscoveredHsm {
        Objects.requireNonNull(hsmId, "hsmId");
        Objects.requireNonNull(state, "state");
    }

    /** Whether it has an address and a state that a connector uses ({@link HsmState#isUsable()}). */
    public boolean isUsable() {
        return state.isUsable() && eniIp != null && !eniIp.isBlank();
    }
}
