package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.DiscoveryEndpointException;
import dev.multislot.api.errors.DiscoveryServiceException;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

/** Endpoints that page slowly, answer garbage or send addresses that are not addresses (issue 18, items 5, 7, 10). */
class HostileEndpointTest {

    private LocalControlPlane cp;
    private AwsClusterDiscovery discovery;
    private RegionResolver resolver;

    @BeforeEach
    void start(@TempDir Path home) {
        cp = LocalControlPlane.start();
        resolver = RegionResolver.of(Map.of("AWS_REGION", "eu-west-1"), home);
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        cp.close();
    }

    @Test
    void aLookupWhosePagesEachComeInTimeButNeverAllEndsAtTheLookupDeadlineNamingTheEndpoint() {
        List<String> ids = List.of("cluster-slow1", "cluster-slow2", "cluster-slow3", "cluster-slow4", "cluster-slow5");
        ids.forEach(id -> cp.putCluster(Fixtures.cluster(id, "eu-west-1")));
        cp.pageSize(1);
        cp.latency(Duration.ofMillis(300));
        // Every page comes well within the API call timeout; five of them do not fit in the lookup deadline.
        discovery = Fixtures.discovery(resolver).apiCallTimeout(Duration.ofSeconds(5))
                .lookupTimeout(Duration.ofMillis(700)).retryStrategy(AwsRetryStrategy.doNotRetry()).build();

        Throwable e = catchThrowable(() -> discovery.discoverAll(ids.stream().map(id -> Fixtures.request(id, cp)).toList())
                .collectList().block(WAIT));

        assertThat(e).isInstanceOf(DiscoveryEndpointException.class)
                .hasMessageContaining(cp.endpoint().toString())
                .hasMessageContaining("lookup deadline of 700 ms");
    }

    @Test
    void anHsmAddressThatIsNotAnAddressIsRefusedQuotedShort() {
        String huge = "1".repeat(100_000);
        cp.putCluster(ControlPlaneCluster.active("cluster-bad0001", "eu-west-1",
                ControlPlaneHsm.active("hsm-x", "$(id)", "eu-west-1a")));
        cp.putCluster(ControlPlaneCluster.active("cluster-bad0002", "eu-west-1",
                ControlPlaneHsm.active("hsm-y", huge, "eu-west-1a")));
        discovery = Fixtures.discovery(resolver).build();

        Throwable shell = catchThrowable(() -> discovery.discover(Fixtures.request("cluster-bad0001", cp)).block(WAIT));
        Throwable longOne = catchThrowable(() -> discovery.discover(Fixtures.request("cluster-bad0002", cp)).block(WAIT));

        assertThat(shell).isInstanceOf(DiscoveryServiceException.class).hasMessageContaining("'$(id)'")
                .hasMessageContaining("neither an IP address nor a host name");
        assertThat(longOne).isInstanceOf(DiscoveryServiceException.class).hasMessageContaining("(100000 characters)");
        assertThat(longOne.getMessage().length()).isLessThan(600);
    }

    @Test
    void invalidJsonFromTheEndpointIsReportedAsSuchNotAsUnreachable() {
        DisposableServer garbage = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Content-Type", "application/x-amz-json-1.1")
                        .sendByteArray(Mono.just("{\"Clusters\": [ this is not json".getBytes(StandardCharsets.UTF_8))))
                .bindNow();
        try {
            discovery = Fixtures.discovery(resolver).retryStrategy(AwsRetryStrategy.doNotRetry()).build();
            URI endpoint = URI.create("http://127.0.0.1:" + garbage.port());
            Throwable e = catchThrowable(() -> discovery.discover(Fixtures.request("cluster-json001", "eu-west-1", endpoint))
                    .block(WAIT));

            assertThat(e).isInstanceOf(DiscoveryServiceException.class).hasMessageContaining("not valid JSON")
                    .hasMessageNotContaining("cannot reach");
        } finally {
            garbage.disposeNow();
        }
    }

    @Test
    void portsTheLocalControlPlaneReportsAreThePortsOfTheAddresses() {
        cp.putCluster(ControlPlaneCluster.active("cluster-port001", "eu-west-1",
                ControlPlaneHsm.active("hsm-p1", "127.0.0.2", "eu-west-1a").withPort(40001),
                ControlPlaneHsm.active("hsm-p2", "127.0.0.3", "eu-west-1b")));
        discovery = Fixtures.discovery(resolver).build();

        DiscoveredCluster c = discovery.discover(Fixtures.request("cluster-port001", cp)).block(WAIT);

        assertThat(c.usableAddresses(2223)).containsExactly(new HsmAddress("127.0.0.2", 40001), new HsmAddress("127.0.0.3", 2223));
    }

    @Test
    void hostValidationAcceptsAddressesAndRfc1123NamesOnly() {
        assertThat(List.of("10.0.1.12", "fd00::12", "::1", "hsm-1.example.com", "localhost", "a.b-c.d1"))
                .allMatch(HsmAddress::isValidHost);
        assertThat(List.of("$(id)", "", "-a.com", "a-.com", "a..b", "999.1.1.1", "1.2.3", "x".repeat(64) + ".com",
                "a".repeat(254), "has space", "fd00::zz", "10.0.0.1:2223"))
                .noneMatch(HsmAddress::isValidHost);
    }
}
