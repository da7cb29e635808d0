package dev.multislot.bench;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.discovery.AwsClusterDiscovery;
import dev.multislot.discovery.RegionResolver;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Discovery fan-out: the time {@link AwsClusterDiscovery#discoverAll} takes to describe
 * {@link #clusters} clusters through the real AWS SDK client against hsm-local's
 * {@link LocalControlPlane}, which answers every {@code DescribeClusters} call after the same
 * injected latency ({@link #LATENCY}). Discovering 100 clusters should cost about one round trip,
 * not 100: the summary reports the 100-cluster time over the 1-cluster time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
public class FanoutBenchmark {

    /** The control plane's delay before every answer: a cross-region API round trip. */
    public static final Duration LATENCY = Duration.ofMillis(50);
    private static final String REGION = "us-east-1";

    /** Clusters described per invocation. */
    @Param({"1", "100"})
    public int clusters;

    private LocalControlPlane controlPlane;
    private AwsClusterDiscovery discovery;
    private List<DiscoveryRequest> requests;

    @Setup(Level.Trial)
    public void setUp() {
        controlPlane = LocalControlPlane.start();
        controlPlane.latency(LATENCY);
        requests = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            String id = String.format("cluster-fan%04d", i);
            controlPlane.putCluster(ControlPlaneCluster.active(id, REGION,
                    ControlPlaneHsm.active(String.format("hsm-fan%04da", i), "10.0." + (i / 250) + "." + (i % 250 + 1),
                            REGION + "a")));
            requests.add(new DiscoveryRequest(ClusterId.of(id), Optional.of(REGION), Optional.of(controlPlane.endpoint())));
        }
        discovery = AwsClusterDiscovery.builder()
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIABENCHMARK0000000", "benchmark-secret-not-a-real-one")))
                .regionResolver(RegionResolver.of(Map.of(), Path.of(System.getProperty("java.io.tmpdir"))))
                .build();
    }

    /** Describes every cluster; fails unless each comes back. */
    @Benchmark
    public List<DiscoveredCluster> discoverAll() {
        List<DiscoveredCluster> found = discovery.discoverAll(requests).collectList().block(Duration.ofSeconds(30));
        if (found == null || found.size() != clusters) {
            throw new IllegalStateException("expected " + clusters + " clusters, got "
                    + (found == null ? "none" : found.size()));
        }
        return found;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (discovery != null) {
            discovery.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }
}
