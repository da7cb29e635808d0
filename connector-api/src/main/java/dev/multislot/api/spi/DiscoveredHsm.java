package dev.multislot.api.spi;

import java.util.Objects;
import java.util.Optional;
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
 * @param eniIpV6 the IPv6 address of its network interface, which HSMs of a {@code DUALSTACK}
 *     cluster have; empty for an IPv4-only cluster
 */
public record DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state, OptionalInt port,
                            Optional<String> eniIpV6) {

    public DiscoveredHsm {
        Objects.requireNonNull(hsmId, "hsmId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(eniIpV6, "eniIpV6");
    }

    /** An HSM whose port the answer did not give, without an IPv6 address. */
    public DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state) {
        this(hsmId, eniIp, availabilityZone, state, OptionalInt.empty(), Optional.empty());
    }

    /** An HSM without an IPv6 address. */
    public DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state, OptionalInt port) {
        this(hsmId, eniIp, availabilityZone, state, port, Optional.empty());
    }

    /** An HSM whose port the answer did not give. */
    public DiscoveredHsm(String hsmId, String eniIp, String availabilityZone, HsmState state, Optional<String> eniIpV6) {
        this(hsmId, eniIp, availabilityZone, state, OptionalInt.empty(), eniIpV6);
    }

    /** Whether it has an address and a state that a connector uses ({@link HsmState#isUsable()}). */
    public boolean isUsable() {
        return state.isUsable() && eniIp != null && !eniIp.isBlank();
    }
}
