package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.api.SlotSession;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs in its own Surefire execution whose class path has no Micrometer jar at all (see the
 * module's pom): a connector built without registries works end to end. The property is set by that
 * execution only, so that {@code -Dtest=...} runs in the normal class path do not pick it up.
 */
@EnabledIfSystemProperty(named = "multislot.test.withoutMicrometer", matches = "true")
class WithoutMicrometerTest {

    @Test
    void theConnectorWorksWithNoMicrometerOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .as("this execution's class path has no Micrometer").isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.micrometer.observation.ObservationRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
        try (LocalCluster cluster = Clusters.start(1);
             ReactorHsmConnector connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(cluster))) {
            Await.until("the HSM to be connected", Duration.ofSeconds(60), () -> connector.slots().stream()
                    .allMatch(s -> ((SlotImpl) s).nodes().stream().allMatch(n -> !n.readyConnections().isEmpty())));
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER)
                    .block(Duration.ofSeconds(10));
            assertThat(session.random(32).block(Duration.ofSeconds(5))).hasSize(32);
            connector.updateOptions(Clusters.testOptions().maxPendingRequests(10).build()).block(Duration.ofSeconds(5));
            assertThat(session.random(8).block(Duration.ofSeconds(5))).hasSize(8);
        }
    }
}
