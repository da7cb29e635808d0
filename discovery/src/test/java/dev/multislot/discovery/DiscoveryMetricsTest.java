package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.multislot.api.errors.DiscoveryAccessDeniedException;
import dev.multislot.local.controlplane.LocalControlPlane;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

/** Each DescribeClusters call is timed as {@code multislot.discovery} by region and outcome. */
class DiscoveryMetricsTest {

    private static final String REGION = "ap-south-1";

    private static LocalControlPlane cp;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        cp = LocalControlPlane.start();
        cp.putCluster(Fixtures.cluster("cluster-metered", REGION));
    }

    @AfterAll
    static void stop() {
        cp.close();
    }

    @Test
    void eachCallIsTimedByRegionAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AwsClusterDiscovery discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", REGION), home))
                .retryStrategy(AwsRetryStrategy.doNotRetry()).meterRegistry(registry).build();
        try {
            discovery.discover(Fixtures.request("cluster-metered", cp)).block(WAIT);
            discovery.discover(Fixtures.request("cluster-metered", cp)).block(WAIT);
            cp.failNext(1, "CloudHsmAccessDeniedException", 400);
            assertThat(catchThrowable(() -> discovery.discover(Fixtures.request("cluster-metered", cp)).block(WAIT)))
                    .isInstanceOf(DiscoveryAccessDeniedException.class);

            Timer ok = registry.get("multislot.discovery").tags("region", REGION, "outcome", "success").timer();
            assertThat(ok.count()).isEqualTo(2);
            assertThat(ok.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("multislot.discovery").tags("region", REGION, "outcome", "access_denied").timer().count())
                    .isEqualTo(1);
            assertThat(registry.find("multislot.discovery").timers()).hasSize(2);
        } finally {
            discovery.closeAsync().orTimeout(Duration.ofSeconds(10).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutARegistryNothingIsRecordedAndDiscoveryWorks() {
        AwsClusterDiscovery discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", REGION), home)).build();
        try {
            assertThat(discovery.discover(Fixtures.request("cluster-metered", cp)).block(WAIT).clusterId().value())
                    .isEqualTo("cluster-metered");
        } finally {
            discovery.close();
        }
    }
}
