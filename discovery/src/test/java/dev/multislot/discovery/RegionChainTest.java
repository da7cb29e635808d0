package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.LocalControlPlane;
import dev.multislot.local.controlplane.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step of the region chain, alone and against the steps below it, through the real SDK: the
 * proof is the region the control plane saw in the SigV4 credential scope.
 */
class RegionChainTest {

    private static final String CLUSTER = "cluster-regionchain";
    private static final List<String> REGIONS =
            List.of("ap-south-1", "eu-west-3", "eu-west-2", "eu-central-1", "eu-north-1", "us-east-1");

    private static LocalControlPlane cp;

    @TempDir
    Path home;

    @BeforeAll
    static void startControlPlane() {
        cp = LocalControlPlane.start();
        // The same id in every region, so that only the region decides which one answers.
        for (String region : REGIONS) {
            cp.putCluster(Fixtures.cluster(CLUSTER + "x".repeat(REGIONS.indexOf(region)), region));
        }
    }

    @AfterAll
    static void stopControlPlane() {
        cp.close();
    }

    /** The id registered in that region. */
    private static String idIn(String region) {
        return CLUSTER + "x".repeat(REGIONS.indexOf(region));
    }

    private Path writeConfig(String text) throws IOException {
        return Files.writeString(Files.createDirectories(home.resolve(".aws")).resolve("config"), text);
    }

    /** Discovers the cluster of {@code expected} with this chain; returns what the control plane saw. */
    private RecordedRequest discoverExpecting(String expected, Map<String, String> env, Optional<String> explicit) {
        cp.clearRequests();
        try (AwsClusterDiscovery discovery = Fixtures.discovery(RegionResolver.of(env, home)).build()) {
            DiscoveredCluster found = discovery.discover(
                    new DiscoveryRequest(ClusterId.of(idIn(expected)), explicit, Optional.of(cp.endpoint()))).block(WAIT);
            assertThat(found.region()).isEqualTo(expected);
            assertThat(found.usableHsms()).hasSize(2);
        }
        List<RecordedRequest> seen = cp.describeClustersRequests();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).region()).isEqualTo(expected);
        return seen.get(0);
    }

    private Map<String, String> everything() throws IOException {
        Path prodConfig = Files.writeString(home.resolve("prod-config"), "[profile prod]\nregion = eu-central-1\n");
        writeConfig("[default]\nregion = eu-north-1\n");
        Map<String, String> env = new HashMap<>();
        env.put("AWS_DEFAULT_REGION", "eu-west-3");
        env.put("AWS_REGION", "eu-west-2");
        env.put("AWS_PROFILE", "prod");
        env.put("AWS_CONFIG_FILE", prodConfig.toString());
        return env;
    }

    @Test
    void explicitRegionAloneAndOverEverything() throws IOException {
        discoverExpecting("ap-south-1", Map.of(), Optional.of("ap-south-1"));
        discoverExpecting("ap-south-1", everything(), Optional.of("ap-south-1"));
    }

    @Test
    void awsDefaultRegionAloneAndOverAwsRegionAndProfile() throws IOException {
        discoverExpecting("eu-west-3", Map.of("AWS_DEFAULT_REGION", "eu-west-3"), Optional.empty());
        discoverExpecting("eu-west-3", everything(), Optional.empty());
    }

    @Test
    void awsRegionAloneAndOverTheProfile() throws IOException {
        discoverExpecting("eu-west-2", Map.of("AWS_REGION", "eu-west-2"), Optional.empty());
        Map<String, String> env = everything();
        env.remove("AWS_DEFAULT_REGION");
        discoverExpecting("eu-west-2", env, Optional.empty());
    }

    @Test
    void profileNamedByAwsProfileInTheFileNamedByAwsConfigFile() throws IOException {
        Map<String, String> env = everything();
        env.remove("AWS_DEFAULT_REGION");
        env.remove("AWS_REGION");
        discoverExpecting("eu-central-1", env, Optional.empty());
    }

    @Test
    void defaultProfileInHomeAwsConfig() throws IOException {
        writeConfig("[default]\nregion = eu-north-1\n\n[profile prod]\nregion = eu-central-1\n");
        discoverExpecting("eu-north-1", Map.of(), Optional.empty());
    }

    @Test
    void usEast1WhenNothingNamesARegion() {
        discoverExpecting("us-east-1", Map.of("AWS_PROFILE", "absent"), Optional.empty());
    }

    @Test
    void aClusterInAnotherRegionIsNotFoundAndTheMessageSaysWhichRegionWasAsked() {
        try (AwsClusterDiscovery discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", "eu-west-2"), home)).build()) {
            Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> discovery.discover(
                    new DiscoveryRequest(ClusterId.of(idIn("us-east-1")), Optional.empty(), Optional.of(cp.endpoint()))).block(WAIT));
            assertThat(error).isInstanceOf(dev.multislot.api.errors.ClusterNotFoundException.class)
                    .hasMessageContaining(idIn("us-east-1"))
                    .hasMessageContaining("eu-west-2")
                    .hasMessageContaining("AWS_REGION environment variable")
                    .hasMessageContaining("--region / AWS_REGION");
        }
    }

    @Test
    void aBrokenConfigFileIsReportedAndReadAgainOnceFixed() throws IOException {
        Path file = writeConfig("[default\nregion = eu-north-1\n");
        try (AwsClusterDiscovery discovery = Fixtures.discovery(RegionResolver.of(Map.of(), home)).build()) {
            DiscoveryRequest request = new DiscoveryRequest(ClusterId.of(idIn("eu-north-1")), Optional.empty(), Optional.of(cp.endpoint()));
            Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> discovery.discover(request).block(WAIT));
            assertThat(error).isInstanceOf(dev.multislot.api.errors.DiscoveryInvalidRequestException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("--region");

            writeConfig("[default]\nregion = eu-north-1\n");
            assertThat(discovery.discover(request).block(WAIT).region()).isEqualTo("eu-north-1");
        }
    }
}
