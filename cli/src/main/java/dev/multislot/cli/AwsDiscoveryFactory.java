package dev.multislot.cli;

import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.discovery.AwsClusterDiscovery;
import dev.multislot.discovery.RegionResolver;
import java.nio.file.Path;
import java.util.Map;

/** The discovery {@code configure-pkcs11} uses: AWS, with the region chain read from the given environment. */
final class AwsDiscoveryFactory {

    private AwsDiscoveryFactory() {
    }

    /** The limit on one whole lookup (every page): past it, add-cluster exits 3 naming the endpoint. */
    static final java.time.Duration LOOKUP_TIMEOUT = java.time.Duration.ofSeconds(45);

    static ClusterDiscovery create(Map<String, String> env) {
        return AwsClusterDiscovery.builder().regionResolver(RegionResolver.of(env, home(env))).lookupTimeout(LOOKUP_TIMEOUT).build();
    }

    /** The home directory the AWS tools use: $HOME, else the JVM's idea of it. */
    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }
}
