package dev.multislot.discovery;

import static dev.multislot.discovery.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.HsmState;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HsmStatesTest {

    private static LocalControlPlane cp;
    private static AwsClusterDiscovery discovery;

    @BeforeAll
    static void start(@TempDir Path home) {
        cp = LocalControlPlane.start();
        discovery = Fixtures.discovery(RegionResolver.of(Map.of("AWS_REGION", "us-east-2"), home)).build();
    }

    @AfterAll
    static void stop() {
        discovery.close();
        cp.close();
    }

    @Test
    void onlyActiveAndDegradedHsmsWithAnAddressAreUsable() {
        cp.putCluster(new ControlPlaneCluster("cluster-states", "us-east-2", "ACTIVE", List.of(
                new ControlPlaneHsm("hsm-active", "127.0.0.2", "us-east-2a", "ACTIVE"),
                new ControlPlaneHsm("hsm-degraded", "127.0.0.3", "us-east-2b", "DEGRADED"),
                new ControlPlaneHsm("hsm-creating", "127.0.0.4", "us-east-2c", "CREATE_IN_PROGRESS"),
                new ControlPlaneHsm("hsm-deleting", "127.0.0.5", "us-east-2a", "DELETE_IN_PROGRESS"),
                new ControlPlaneHsm("hsm-deleted", "127.0.0.6", "us-east-2b", "DELETED"),
                new ControlPlaneHsm("hsm-future", "127.0.0.7", "us-east-2c", "SOME_NEW_STATE"),
                new ControlPlaneHsm("hsm-noaddress", null, "us-east-2a", "ACTIVE"))));

        DiscoveredCluster c = discovery.discover(Fixtures.request("cluster-states", cp)).block(WAIT);

        assertThat(c.state()).isEqualTo("ACTIVE");
        assertThat(c.region()).isEqualTo("us-east-2");
        assertThat(c.hsms()).extracting(DiscoveredHsm::hsmId, DiscoveredHsm::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("hsm-active", HsmState.ACTIVE),
                org.assertj.core.groups.Tuple.tuple("hsm-degraded", HsmState.DEGRADED),
                org.assertj.core.groups.Tuple.tuple("hsm-creating", HsmState.CREATE_IN_PROGRESS),
                org.assertj.core.groups.Tuple.tuple("hsm-deleting", HsmState.DELETE_IN_PROGRESS),
                org.assertj.core.groups.Tuple.tuple("hsm-deleted", HsmState.DELETED),
                org.assertj.core.groups.Tuple.tuple("hsm-future", HsmState.UNKNOWN),
                org.assertj.core.groups.Tuple.tuple("hsm-noaddress", HsmState.ACTIVE));
        assertThat(c.hsms().get(0).availabilityZone()).isEqualTo("us-east-2a");
        assertThat(c.usableHsms()).extracting(DiscoveredHsm::hsmId).containsExactly("hsm-active", "hsm-degraded");
        assertThat(c.usableAddresses(2223)).containsExactly(new HsmAddress("127.0.0.2", 2223), new HsmAddress("127.0.0.3", 2223));
    }

    @Test
    void aClusterWithoutHsmsIsFoundWithNone() {
        cp.putCluster(new ControlPlaneCluster("cluster-empty", "us-east-2", "UNINITIALIZED", List.of()));

        DiscoveredCluster c = discovery.discover(Fixtures.request("cluster-empty", cp)).block(WAIT);

        assertThat(c.state()).isEqualTo("UNINITIALIZED");
        assertThat(c.hsms()).isEmpty();
        assertThat(c.usableHsms()).isEmpty();
    }

    @Test
    void anHsmChangeShowsInTheNextDiscovery() {
        cp.putCluster(ControlPlaneCluster.active("cluster-changing", "us-east-2",
                ControlPlaneHsm.active("hsm-first", "127.0.0.2", "us-east-2a")));
        assertThat(discovery.discover(Fixtures.request("cluster-changing", cp)).block(WAIT).usableHsms()).hasSize(1);

        cp.addHsm("cluster-changing", new ControlPlaneHsm("hsm-second", "127.0.0.3", "us-east-2b", "CREATE_IN_PROGRESS"));
        DiscoveredCluster creating = discovery.discover(Fixtures.request("cluster-changing", cp)).block(WAIT);
        assertThat(creating.hsms()).hasSize(2);
        assertThat(creating.usableHsms()).extracting(DiscoveredHsm::hsmId).containsExactly("hsm-first");

        cp.setHsmState("cluster-changing", "hsm-second", "ACTIVE");
        cp.removeHsm("cluster-changing", "hsm-first");
        assertThat(discovery.discover(Fixtures.request("cluster-changing", cp)).block(WAIT).usableHsms())
                .extracting(DiscoveredHsm::hsmId).containsExactly("hsm-second");
    }
}
