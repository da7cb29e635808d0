package dev.multislot.api.spi;

import dev.multislot.api.HsmAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One HSM server entry of a cluster's config ({@code servers[i]} in the config file).
 *
 * @param hostname the HSM's host name or IP address (an IPv6 literal without brackets)
 * @param port its TCP port
 * @param enabled {@code false} keeps the entry in the file but sends the HSM no requests
 * @param hsmId the HSM's id as {@code DescribeClusters} gave it ({@code hsm_id}), if recorded
 * @param availabilityZone the HSM's availability zone ({@code availability_zone}), if recorded;
 *     what zone-aware balancing reads
 */
public record ServerConfig(String hostname, int port, boolean enabled, Optional<String> hsmId, Optional<String> availabilityZone) {

    /** A server without a recorded HSM id or zone. */
    public ServerConfig(String hostname, int port, boolean enabled) {
        this(hostname, port, enabled, Optional.empty(), Optional.empty());
    }

    public ServerConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(hsmId, "hsmId");
        Objects.requireNonNull(availabilityZone, "availabilityZone");
    }

    /** The server's address; fails with IllegalArgumentException on an empty host or bad port. */
    public HsmAddress address() {
        return new HsmAddress(hostname, port);
    }
}
