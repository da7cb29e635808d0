package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.multislot.api.KeyType;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import reactor.test.StepVerifier;

/**
 * The extension's lifecycle seen from outside: a probe class runs in its own JUnit launcher, and
 * this test looks at what the probe was given once the probe's class has finished.
 */
class MultislotExtensionLifecycleTest {

    @Test
    void afterTheClassTheConnectorIsClosedAndTheClustersPortsRefuse() {
        TestExecutionSummary summary = run(Probe.class);
        assertThat(summary.getTestsSucceededCount()).as("the probe's test ran and passed: %s", failures(summary)).isEqualTo(1);
        assertThat(summary.getTotalFailureCount()).isZero();

        ReactorHsmConnector connector = Probe.connector.get();
        assertThat(connector.slots()).as("a closed connector has no slots").isEmpty();
        StepVerifier.create(connector.events()).as("the event stream ends on close").expectComplete().verify(Duration.ofSeconds(5));
        StepVerifier.create(Probe.session.get().generateKey(KeyType.HMAC_SHA256, "after-close"))
                .expectError(ConnectorClosedException.class).verify(Duration.ofSeconds(5));
        List<LocalHsm> hsms = Probe.cluster.get().hsms();
        assertThat(hsms).hasSize(2);
        for (LocalHsm hsm : hsms) {
            assertThat(hsm.isRunning()).isFalse();
            assertRefuses(hsm);
        }
        assertThat(Probe.cluster.get().directory()).as("the cluster's temporary directory is deleted").doesNotExist();
    }

    @Test
    void aClusterThatCannotStartFailsTheClassNamingTheStepAndTheCause() {
        TestExecutionSummary summary = run(BadClusterProbe.class);
        assertThat(summary.getTestsStartedCount()).as("no test runs without its environment").isZero();
        assertThat(summary.getFailures()).hasSize(1);
        Throwable failure = summary.getFailures().get(0).getException();
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MultislotExtension could not start for MultislotExtensionLifecycleTest$BadClusterProbe")
                .hasMessageContaining("cannot start the local cluster of 1 HSM(s)")
                .hasMessageContaining("clusterId must be");
    }

    @Test
    void aConnectorThatCannotConnectInTimeFailsTheClassAndClosesTheClusterItStarted() {
        TestExecutionSummary summary = run(NoTimeProbe.class);
        assertThat(summary.getTestsStartedCount()).isZero();
        assertThat(summary.getFailures()).hasSize(1);
        assertThat(summary.getFailures().get(0).getException()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MultislotExtension could not start for MultislotExtensionLifecycleTest$NoTimeProbe")
                .hasMessageContaining("the connector did not connect to cluster")
                .hasMessageContaining("within PT0.001S");
    }

    @Test
    void aClusterConfigCustomizerThatReturnsNothingFailsTheClassNamingIt() {
        TestExecutionSummary summary = run(NullConfigProbe.class);
        assertThat(summary.getTestsStartedCount()).isZero();
        assertThat(summary.getFailures()).hasSize(1);
        assertThat(summary.getFailures().get(0).getException()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MultislotExtension could not start for MultislotExtensionLifecycleTest$NullConfigProbe")
                .hasMessageContaining("the clusterConfig customizer failed")
                .hasMessageContaining("it returned null");
    }

    private static TestExecutionSummary run(Class<?> probe) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(probe)).build(), listener);
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        return summary.getFailures().stream().map(f -> String.valueOf(f.getException())).toList().toString();
    }

    private static void assertRefuses(LocalHsm hsm) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hsm.host(), hsm.port()), 2000);
            throw new AssertionError(hsm + " still accepts connections after the class ended");
        } catch (ConnectException expected) {
            assertThat(expected).hasMessageContaining("refused");
        } catch (IOException e) {
            throw new AssertionError("connecting to " + hsm + " failed otherwise than refused", e);
        }
    }

    /** Keeps what the extension gave it, for the test above to look at after the class. */
    static class Probe {
        static final AtomicReference<ReactorHsmConnector> connector = new AtomicReference<>();
        static final AtomicReference<SlotSession> session = new AtomicReference<>();
        static final AtomicReference<LocalCluster> cluster = new AtomicReference<>();

        @RegisterExtension
        static final MultislotExtension multislot = MultislotExtension.builder().hsms(2).build();

        @Test
        void keep(ReactorHsmConnector c, SlotSession s, LocalCluster l) {
            assertThat(multislot.connector()).isSameAs(c);
            assertThat(multislot.session()).isSameAs(s);
            connector.set(c);
            session.set(s);
            cluster.set(l);
        }
    }

    static class BadClusterProbe {
        @RegisterExtension
        static final MultislotExtension multislot = MultislotExtension.builder()
                .cluster(spec -> spec.clusterId("not a cluster id"))
                .build();

        @Test
        void neverRuns(SlotSession session) {
            throw new AssertionError("ran without an environment");
        }
    }

    static class NoTimeProbe {
        @RegisterExtension
        static final MultislotExtension multislot = MultislotExtension.builder()
                .startTimeout(Duration.ofMillis(1))
                .build();

        @Test
        void neverRuns(SlotSession session) {
            throw new AssertionError("ran without an environment");
        }
    }

    static class NullConfigProbe {
        @RegisterExtension
        static final MultislotExtension multislot = MultislotExtension.builder()
                .clusterConfig(config -> null)
                .build();

        @Test
        void neverRuns(SlotSession session) {
            throw new AssertionError("ran without an environment");
        }
    }
}
