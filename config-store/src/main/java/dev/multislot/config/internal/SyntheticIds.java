package dev.multislot.config.internal;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ServerConfig;

/**
 * The id given to a cluster entry that has no {@code cluster_id} (a file written by the SDK tool
 * for a cluster configured by IP): {@code servers:} followed by its first server's host, and
 * {@code :port} when the port is not 2223; an IPv6 host is put in brackets.
 */
public final class SyntheticIds {

    /** Ids with this prefix are synthetic; a file may not use it in a {@code cluster_id}. */
    public static final String PREFIX = "servers:";

    private SyntheticIds() {
    }

    public static ClusterId of(ServerConfig first) {
        // The address holds an IPv6 literal without brackets, whether the file wrote "::1" or "[::1]".
        String bare = first.address().host();
        String host = bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare;
        String port = first.port() == HsmAddress.DEFAULT_PORT ? "" : ":" + first.port();
        return ClusterId.of(PREFIX + host + port);
    }

    public static boolean isSynthetic(ClusterId id) {
        return id.value().startsWith(PREFIX);
    }
}
