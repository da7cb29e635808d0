package dev.multislot.discovery;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** What every discovery test needs: static credentials, an isolated region chain, the fake control plane. */
final class Fixtures {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMULTISLOTTEST", "not-a-real-secret"));

    private Fixtures() {
    }

    /** A region chain that sees only this environment and home (no process state). */
    static RegionResolver resolver(Map<String, String> env, Path home) {
        return RegionResolver.of(env, home);
    }

    /** Static credentials and the given chain; other settings at their defaults. */
    static AwsClusterDiscovery.Builder discovery(RegionResolver resolver) {
        return AwsClusterDiscovery.builder().credentialsProvider(CREDENTIALS).regionResolver(resolver);
    }

    static DiscoveryRequest request(String clusterId, LocalControlPlane cp) {
        return new DiscoveryRequest(ClusterId.of(clusterId), Optional.empty(), Optional.of(cp.endpoint()));
    }

    static DiscoveryRequest request(String clusterId, String region, URI endpoint) {
        return new DiscoveryRequest(ClusterId.of(clusterId), Optional.of(region), Optional.of(endpoint));
    }

    /** An active cluster with two active HSMs on loopback addresses. */
    static ControlPlaneCluster cluster(String clusterId, String region) {
        return ControlPlaneCluster.active(clusterId, region,
                ControlPlaneHsm.active("hsm-" + clusterId.substring(8) + "a", "127.0.0.2", region + "a"),
                ControlPlaneHsm.active("hsm-" + clusterId.substring(8) + "b", "127.0.0.3", region + "b"));
    }
}
