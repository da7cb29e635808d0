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

    /** The longest host name accepted: 253 characters, the limit of a DNS name. */
    public static final int MAX_HOST_LENGTH = 253;

    /**
     * Whether {@code host} can name an HSM: an IPv4 literal ({@code 10.0.1.12}), an IPv6 literal
     * ({@code fd00::12}, without brackets), or a host name as RFC 1123 defines it (labels of 1 to 63
     * letters, digits and inner hyphens, separated by dots, at most {@value #MAX_HOST_LENGTH}
     * characters). Tools use it wherever a host enters: the config file, DescribeClusters answers,
     * options. Does no DNS lookup.
     */
    public static boolean isValidHost(String host) {
        if (host == null || host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return isIpv6Literal(host);
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty()) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        boolean allNumeric = true;
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
            allNumeric &= label.chars().allMatch(c -> c >= '0' && c <= '9');
        }
        // Digits only, like an address: then it must be one (999.1.1.1 is neither a name nor an address).
        return !allNumeric || isIpv4Literal(labels);
    }

    private static final java.util.regex.Pattern LABEL =
            java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private static boolean isIpv4Literal(String[] parts) {
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String host) {
        if (!IPV6.matcher(host).matches()) {
            return false;
        }
        try {
            // Only hex digits, colons and dots here, so this parses a literal and never asks DNS.
            return java.net.InetAddress.getByName(host) instanceof java.net.Inet6Address
                    || host.startsWith("::ffff:");
        } catch (java.net.UnknownHostException e) {
            return false;
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
