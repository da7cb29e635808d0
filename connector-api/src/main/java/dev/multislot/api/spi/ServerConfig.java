package dev.multislot.api.spi;

import dev.multislot.api.HsmAddress;
import java.util.Objects;

/**
 * One HSM server entry of a cluster's config ({@code servers[i]} in the config file).
 *
 * @param hostname the HSM's host name or IP address
 * @param port its TCP port
 * @param enabled {@code false} keeps the entry in the file but sends the HSM no requests
 */
public record ServerConfig(String hostname, int port, boolean enabled) {

    public ServerConfig {
        Objects.requireNonNull(hostname, "hostname");
    }

    /** The server's address; fails with IllegalArgumentException on an empty host or bad port. */
    public HsmAddress address() {
        return new HsmAddress(hostname, port);
    }
}
