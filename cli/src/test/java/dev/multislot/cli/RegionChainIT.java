package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import dev.multislot.local.controlplane.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step of the region chain reaches the DescribeClusters request: the control plane records the
 * region of each request's SigV4 scope, and hosts the cluster in every region so each call succeeds.
 */
class RegionChainIT {

    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-south-1", "ca-central-1", "eu-north-1");

    @TempDir
    static Path shared;

    static LocalControlPlane controlPlane;
    static dev.multislot.local.LocalCluster cluster;
    static Path caFile;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        controlPlane = LocalControlPlane.start();
        // A cluster id is unique per region on the control plane, so each region hosts its own.
        for (String region : REGIONS) {
            controlPlane.putCluster(ControlPlaneCluster.active("cluster-" + region.replace("-", ""), region,
                    ControlPlaneHsm.active("hsm-" + region, "10.7.0.1", region + "a")));
        }
        cluster = dev.multislot.local.LocalCluster.start(dev.multislot.local.LocalClusterSpec.builder()
                .hsmCount(1).port(0).directory(shared.resolve("ca")).build());
        caFile = cluster.caFile();
    }

    @AfterAll
    static void stop() {
        cluster.close();
        controlPlane.close();
    }

    private String regionSeenFor(CliProcess cli, String region) {
        controlPlane.clearRequests();
        String clusterId = "cluster-" + region.replace("-", "");
        CliProcess.Result r = cli.run("add-cluster", "--cluster-id", clusterId, "--endpoint", controlPlane.endpoint().toString(),
                "--hsm-ca-cert", caFile.toString(), "--config-file", home.resolve("cfg.json").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<RecordedRequest> seen = controlPlane.describeClustersRequests();
        assertThat(seen).isNotEmpty();
        return seen.get(0).region();
    }

    private CliProcess cli() {
        return CliProcess.configurePkcs11(home).env("AWS_CONFIG_FILE", home.resolve("no-such-config").toString());
    }

    @Test
    void defaultsToUsEast1() {
        assertThat(regionSeenFor(cli(), "us-east-1")).isEqualTo("us-east-1");
    }

    @Test
    void regionOptionWinsOverEverything() {
        CliProcess cli = cli().env("AWS_DEFAULT_REGION", "ap-south-1").env("AWS_REGION", "ca-central-1");
        controlPlane.clearRequests();
        CliProcess.Result r = cli.run("add-cluster", "--cluster-id", "cluster-euwest1", "--region", "eu-west-1",
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", caFile.toString(),
                "--config-file", home.resolve("cfg.json").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(controlPlane.describeClustersRequests().get(0).region()).isEqualTo("eu-west-1");
    }

    @Test
    void awsDefaultRegionComesBeforeAwsRegion() {
        CliProcess cli = cli().env("AWS_DEFAULT_REGION", "ap-south-1").env("AWS_REGION", "ca-central-1");
        assertThat(regionSeenFor(cli, "ap-south-1")).isEqualTo("ap-south-1");
    }

    @Test
    void awsRegionAlone() {
        assertThat(regionSeenFor(cli().env("AWS_REGION", "ca-central-1"), "ca-central-1")).isEqualTo("ca-central-1");
    }

    @Test
    void profileRegionFromAwsConfigFileAndAwsProfile() throws Exception {
        Path awsConfig = Files.writeString(home.resolve("aws-config"), """
                [default]
                region = eu-west-1

                [profile prod]
                region = eu-north-1
                """);
        CliProcess cli = cli().env("AWS_CONFIG_FILE", awsConfig.toString()).env("AWS_PROFILE", "prod");
        assertThat(regionSeenFor(cli, "eu-north-1")).isEqualTo("eu-north-1");
        CliProcess defaultProfile = cli().env("AWS_CONFIG_FILE", awsConfig.toString());
        assertThat(regionSeenFor(defaultProfile, "eu-west-1")).isEqualTo("eu-west-1");
    }

    @Test
    void profileRegionFromHomeAwsConfig() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = ap-south-1\n");
        CliProcess cli = CliProcess.configurePkcs11(home);
        assertThat(regionSeenFor(cli, "ap-south-1")).isEqualTo("ap-south-1");
    }
}
