package dev.multislot.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.multislot.local.LocalCluster;
import dev.multislot.spring.internal.SlotsHealthContributor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MultislotHealthTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner(Path config) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultislotAutoConfiguration.class, MultislotHealthAutoConfiguration.class))
                .withPropertyValues("multislot.config-file=" + config, "multislot.event-loop-threads=1",
                        "multislot.reconnect-delay=50ms", "multislot.reconnect-max-delay=200ms");
    }

    @Test
    void eachSlotIsUpWhileOneOfItsHsmsIsUsableAndDownWhenNoneIs() {
        try (LocalCluster one = LocalClusters.start(2); LocalCluster two = LocalClusters.start(1)) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(one, two));
            runner(config).run(context -> {
                SlotsHealthContributor health = context.getBean("multislotHealthContributor", SlotsHealthContributor.class);
                assertThat(health.stream().map(e -> e.name())).containsExactly(one.clusterId(), two.clusterId());
                await("every HSM connected").atMost(Duration.ofSeconds(10)).until(() -> status(health, one.clusterId()).getDetails().get("hsmsUp").equals(2L)
                                && status(health, two.clusterId()).getStatus().equals(Status.UP));

                Health first = status(health, one.clusterId());
                assertThat(first.getStatus()).isEqualTo(Status.UP);
                assertThat(first.getDetails()).containsEntry("slotIndex", 0).containsEntry("hsmsDown", 0L)
                        .containsEntry("pendingRequests", 0).containsKey("hsms");
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> hsms = (Map<String, Map<String, Object>>) first.getDetails().get("hsms");
                assertThat(hsms).hasSize(2).allSatisfy((address, d) ->
                        assertThat(d).containsEntry("status", "UP").containsEntry("connected", true).containsEntry("breaker", "CLOSED"));

                one.hsm(0).stop();
                await("one HSM of the first slot down").atMost(Duration.ofSeconds(10)).until(() -> status(health, one.clusterId()).getDetails().get("hsmsDown").equals(1L));
                assertThat(status(health, one.clusterId()).getStatus()).isEqualTo(Status.UP);

                two.hsm(0).stop();
                await("the second slot down").atMost(Duration.ofSeconds(10)).until(() -> status(health, two.clusterId()).getStatus().equals(Status.DOWN));
                assertThat(status(health, one.clusterId()).getStatus()).isEqualTo(Status.UP);
                two.hsm(0).start();
                await("the second slot up again").atMost(Duration.ofSeconds(10)).until(() -> status(health, two.clusterId()).getStatus().equals(Status.UP));
            });
        }
    }

    @Test
    void healthCanBeTurnedOff() throws Exception {
        try (LocalCluster one = LocalClusters.start(1)) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(one));
            runner(config).withPropertyValues("management.health.multislot.enabled=false")
                    .run(context -> assertThat(context).doesNotHaveBean("multislotHealthContributor"));
        }
    }

    private static Health status(SlotsHealthContributor health, String clusterId) {
        return ((ReactiveHealthIndicator) health.getContributor(clusterId)).health().block(Duration.ofSeconds(5));
    }
}
