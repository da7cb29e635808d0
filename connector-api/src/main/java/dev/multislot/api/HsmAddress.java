package dev.multislot.api;

import java.util.Objects;

/**
 * The network address of one HSM: a host name or IP literal and a TCP port.
 *
 * @param host host name or IP address, never blank; an IPv6 literal is held without brackets
 *     ({@code "[::1]"} is taken as {@code "::1"}), and {@link #toString()} puts them back
 * @param port TCP port, 1 to 65535 (CloudHSM HSMs listen on {@value #DEFAULT_PORT})
 */
public record HsmAddress(String host, int port) implements Comparable<HsmAddress> {

    /** The port CloudHSM HSMs accept client connections on. */
    public static final int DEFAULT_PORT = 2223;

    public HsmAddress {
        Objects.requireNonNull(host, "host");
        if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("HSM host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("HSM port must be 1-65535, was " + port);
        }
    }

    /** An address on the default port {@value #DEFAULT_PORT}. */
    public static HsmAddress of(String host) {
        return new HsmAddress(host, DEFAULT_PORT);
    }

    public static HsmAddress of(String host, int port) {
        return new HsmAddress(host, port);
    }

    @Override
    public int compareTo(HsmAddress other) {
        int c = host.compareTo(other.host);
        return c != 0 ? c : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
