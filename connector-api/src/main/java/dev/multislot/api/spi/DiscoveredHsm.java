package dev.multislot.api.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One HSM as the CloudHSM API describes it.
 *
 * @param hsmId the HSM's id, such as {@code hsm-abc123}
 * @param eniIp the IP address of its elastic network interface: where clients connect
 * @param availabilityZone its availability zone
 * @param state its state
 * @param eniIpV6 the IPv6 address of its network interface, which HSMs of a {@code DUALSTACK}
 *     cluster have; empty for an IPv4-only cluster
 */
public record DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state, Optional<String> eniIpV6) {

    /** An HSM without an IPv6 address. */
    public DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state) {
        this(hsmId, eniIp, availabilityZone, state, Optional.empty());
    }

    public DiscoveredHsm {
        Objects.requireNonNull(hsmId, "hsmId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(eniIpV6, "eniIpV6");
    }

    /** Whether it has an address and a state that a connector uses ({@link HsmState#isUsable()}). */
    public boolean isUsable() {
        return state.isUsable() && eniIp != null && !eniIp.isBlank();
    }
}
