package dev.multislot.cli.demo;

import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.discovery.AwsClusterDiscovery;
import dev.multislot.discovery.RegionResolver;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real AWS discovery, pointed by the demo at hsm-local's control plane: credentials are fixed
 * (the local control plane reads the SigV4 scope but checks no signature), so the demo needs no
 * AWS account and reads nothing of the user's AWS setup.
 */
public final class LocalDiscovery {

    private LocalDiscovery() {
    }

    public static ClusterDiscovery create(Map<String, String> env) {
        return AwsClusterDiscovery.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMULTISLOTDEMO", "demo-secret")))
                .regionResolver(RegionResolver.of(env, Path.of(System.getProperty("java.io.tmpdir"))))
                .build();
    }
}
