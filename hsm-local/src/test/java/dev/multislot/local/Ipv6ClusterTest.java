package dev.multislot.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.LocalControlPlane;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An IPv6 cluster: every HSM on ::1 with a port of its own, answering over TLS; hosted as DUALSTACK. */
class Ipv6ClusterTest {

    @Test
    void hsmsListenOnTheIpv6LoopbackOnePerPortAndTheControlPlaneReportsDualStack() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).ipv6(true).build());
             LocalControlPlane cp = LocalControlPlane.start()) {
            assertThat(cluster.hsms()).extracting(LocalHsm::host).containsOnly("::1");
            Set<Integer> ports = cluster.hsms().stream().map(LocalHsm::port).collect(Collectors.toSet());
            assertThat(ports).hasSize(2).doesNotContain(0);
            try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 1)) {
                assertThat(c.call(new Request.Random(8))).isInstanceOf(Response.Bytes.class);
            }

            ControlPlaneCluster hosted = cp.host(cluster, "us-east-1");
            assertThat(hosted.networkType()).isEqualTo(ControlPlaneCluster.DUALSTACK);
            assertThat(hosted.hsms()).allSatisfy(h -> {
                assertThat(h.eniIpV6()).isEqualTo("::1");
                assertThat(h.eniIp()).isEqualTo("127.0.0.1");
            });
        }
    }
}
