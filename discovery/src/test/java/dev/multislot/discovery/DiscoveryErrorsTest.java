package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.multislot.api.ClusterId;
import dev.multislot.api.errors.ClusterNotFoundException;
import dev.multislot.api.errors.DiscoveryAccessDeniedException;
import dev.multislot.api.errors.DiscoveryCredentialsException;
import dev.multislot.api.errors.DiscoveryEndpointException;
import dev.multislot.api.errors.DiscoveryInvalidRequestException;
import dev.multislot.api.errors.DiscoveryServiceException;
import dev.multislot.api.errors.DiscoveryThrottledException;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** Every failure becomes its typed error, and its message says where it asked and what to do. */
class DiscoveryErrorsTest {

    private static final String REGION = "eu-west-1";

    private static LocalControlPlane cp;
    /** Two attempts, a short backoff: retried failures stay fast. */
    private static AwsClusterDiscovery discovery;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        cp = LocalControlPlane.start();
        cp.putCluster(Fixtures.cluster("cluster-known", REGION));
        discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", REGION), home))
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(2)
                        .backoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelay(Duration.ofMillis(20)))
                        .build())
                .build();
    }

    @AfterAll
    static void stop() {
        discovery.close();
        cp.close();
    }

    @BeforeEach
    void reset() {
        cp.failNext(0, "none", 500);
        cp.latency(Duration.ZERO);
        cp.clearRequests();
    }

    private static Throwable failure(AwsClusterDiscovery d, DiscoveryRequest request) {
        return catchThrowable(() -> d.discover(request).block(WAIT));
    }

    @Test
    void aClusterAbsentFromTheAnswerIsNotFoundNamingRegionSourceAndWhatToDo() {
        Throwable e = failure(discovery, Fixtures.request("cluster-missing", cp));

        assertThat(e).isInstanceOf(ClusterNotFoundException.class)
                .hasMessageStartingWith("cluster-missing: ")
                .hasMessageContaining("region eu-west-1 (from the AWS_REGION environment variable)")
                .hasMessageContaining(cp.endpoint().toString())
                .hasMessageContaining("check the cluster id, or set --region / AWS_REGION");
        assertThat(((ClusterNotFoundException) e).clusterId()).contains(ClusterId.of("cluster-missing"));
    }

    @Test
    void accessDeniedSaysWhichPermissionIsMissing() {
        cp.failNext(1, "CloudHsmAccessDeniedException", 400);

        Throwable e = failure(discovery, Fixtures.request("cluster-known", cp));

        assertThat(e).isInstanceOf(DiscoveryAccessDeniedException.class)
                .hasMessageContaining("cloudhsm:DescribeClusters")
                .hasMessageContaining("eu-west-1");
        assertThat(cp.describeClustersRequests()).hasSize(1);
    }

    @Test
    void anInvalidClusterIdIsAnInvalidRequest() {
        Throwable e = failure(discovery, Fixtures.request("not-a-cluster", cp));

        assertThat(e).isInstanceOf(DiscoveryInvalidRequestException.class)
                .hasMessageContaining("not-a-cluster")
                .hasMessageContaining("check the cluster id");
    }

    @Test
    void throttlingIsRetriedThenReportedWithTheAttempts() {
        cp.failNext(5, "ThrottlingException", 400);

        Throwable e = failure(discovery, Fixtures.request("cluster-known", cp));

        assertThat(e).isInstanceOf(DiscoveryThrottledException.class)
                .hasMessageContaining("throttled")
                .hasMessageContaining("2 attempts")
                .hasMessageContaining("retry later");
        assertThat(cp.describeClustersRequests()).hasSize(2);
    }

    @Test
    void oneThrottledAnswerIsRetriedAway() {
        cp.failNext(1, "ThrottlingException", 400);

        assertThat(discovery.discover(Fixtures.request("cluster-known", cp)).block(WAIT).usableHsms()).hasSize(2);
        assertThat(cp.describeClustersRequests()).hasSize(2);
    }

    @Test
    void anInternalFailureIsAServiceError() {
        cp.failNext(5, "CloudHsmInternalFailureException", 500);

        Throwable e = failure(discovery, Fixtures.request("cluster-known", cp));

        assertThat(e).isInstanceOf(DiscoveryServiceException.class)
                .hasMessageContaining("CloudHsmInternalFailureException")
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("retry later");
    }

    @Test
    void anErrorTypeNobodyKnowsIsAServiceError() {
        cp.failNext(1, "BrandNewException", 400);

        assertThat(failure(discovery, Fixtures.request("cluster-known", cp)))
                .isInstanceOf(DiscoveryServiceException.class).hasMessageContaining("BrandNewException");
    }

    @Test
    void anEndpointOnAClosedPortIsUnreachableAndNamed() throws IOException {
        // A socket bound but never listening keeps the port refusing for the whole test: a port freed
        // after bind(0) can be taken again, even by the client's own connect (a TCP self-connect that
        // then waits out the API call timeout, as seen once in CI).
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI closed = URI.create("http://127.0.0.1:" + reserved.getLocalPort());

            Throwable e = failure(discovery, Fixtures.request("cluster-known", REGION, closed));

            assertThat(e).isInstanceOf(DiscoveryEndpointException.class)
                    .hasMessageContaining(closed.toString())
                    .hasMessageContaining("cannot reach")
                    .hasMessageContaining("--endpoint");
        }
    }

    @Test
    void aRefusedEndpointIsRefusedAgainOnEveryLaterCall() throws IOException {
        // Each call after the first reuses the SDK's connection pool for that endpoint, where a refused
        // connect was once lost for the whole API call timeout (see SdkClients.newNioGroup). Twenty calls
        // with a retry each: with the race present, at least one of them waits 10 s about nine runs in ten.
        try (Socket reserved = new Socket()) {
            reserved.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI closed = URI.create("http://127.0.0.1:" + reserved.getLocalPort());

            for (int call = 1; call <= 20; call++) {
                Throwable e = failure(discovery, Fixtures.request("cluster-known", REGION, closed));

                assertThat(e).as("call %d", call).isInstanceOf(DiscoveryEndpointException.class)
                        .hasMessageContaining("cannot reach");
            }
        }
    }

    @Test
    void anEndpointTooSlowForTheApiCallTimeoutIsATimeoutNamingIt() {
        cp.latency(Duration.ofSeconds(3));
        try (AwsClusterDiscovery impatient = Fixtures.discovery(RegionResolver.of(Map.of(), home))
                .apiCallTimeout(Duration.ofMillis(400)).build()) {

            Throwable e = failure(impatient, Fixtures.request("cluster-known", REGION, cp.endpoint()));

            assertThat(e).isInstanceOf(DiscoveryEndpointException.class)
                    .hasMessageContaining(cp.endpoint().toString())
                    .hasMessageContaining("400 ms")
                    .hasMessageContaining("raise the API call timeout");
        }
    }

    @Test
    void noCredentialsSaysHowToProvideThem() throws IOException {
        // The SDK's profile provider over an empty credentials file: what the default chain meets on a bare machine.
        Path empty = Files.writeString(home.resolve("empty-credentials"), "");
        ProfileCredentialsProvider none = ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("nobody")
                .build();
        try (AwsClusterDiscovery d = AwsClusterDiscovery.builder().credentialsProvider(none)
                .regionResolver(RegionResolver.of(Map.of(), home)).build()) {

            Throwable e = failure(d, Fixtures.request("cluster-known", REGION, cp.endpoint()));

            assertThat(e).isInstanceOf(DiscoveryCredentialsException.class)
                    .hasMessageContaining("AWS_ACCESS_KEY_ID")
                    .hasMessageContaining("AWS_PROFILE")
                    .hasMessageContaining("nobody");
        }
        assertThat(cp.describeClustersRequests()).isEmpty();
    }

    @Test
    void anEndpointThatIsNoHttpUrlIsRefusedAtOnceNamingIt() {
        for (String bad : new String[] {"ftp://127.0.0.1:21", "localhost:8080", "http:///nohost"}) {
            DiscoveryRequest request = new DiscoveryRequest(ClusterId.of("cluster-known"), Optional.of(REGION), Optional.of(URI.create(bad)));
            assertThatThrownBy(() -> discovery.discover(request))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void aRegionValueThatIsNoRegionNameIsAnInvalidRequestNamingItsSource() {
        try (AwsClusterDiscovery d = Fixtures.discovery(RegionResolver.of(Map.of("AWS_DEFAULT_REGION", "Europe West"), home)).build()) {
            StepVerifier.create(d.discover(Fixtures.request("cluster-known", cp)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DiscoveryInvalidRequestException.class)
                            .hasMessageContaining("'Europe West'")
                            .hasMessageContaining("AWS_DEFAULT_REGION"))
                    .verify(WAIT);
        }
        assertThat(cp.describeClustersRequests()).isEmpty();
    }
}
