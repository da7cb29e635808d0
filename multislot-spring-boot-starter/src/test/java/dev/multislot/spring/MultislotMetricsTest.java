package dev.multislot.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.local.LocalCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MultislotMetricsTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner(Path config) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultislotMetricsAutoConfiguration.class, MultislotAutoConfiguration.class))
                .withUserConfiguration(Registries.class)
                .withPropertyValues("multislot.config-file=" + config, "multislot.user.name=" + LocalClusters.USER,
                        "multislot.user.password=" + LocalClusters.PASSWORD, "multislot.event-loop-threads=1");
    }

    @Test
    void theConnectorsMetersAndObservationsLandInTheApplicationsRegistries() {
        try (LocalCluster cluster = LocalClusters.start(1)) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(cluster));
            runner(config).run(context -> {
                context.getBean(SlotSessions.class).session(ClusterId.of(cluster.clusterId()))
                        .flatMap(s -> s.random(16)).block(Duration.ofSeconds(10));
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                assertThat(meters.find("multislot.requests").tag("slot", cluster.clusterId()).tag("operation", "random")
                        .tag("outcome", "success").timer()).isNotNull()
                        .satisfies(t -> assertThat(t.count()).isEqualTo(1));
                assertThat(meters.find("multislot.slots").gauge()).isNotNull();
                assertThat(context.getBean(Registries.class).observed)
                        .anySatisfy(name -> assertThat(name).isEqualTo("multislot.request"));
            });
        }
    }

    @Test
    void metricsCanBeTurnedOff() {
        try (LocalCluster cluster = LocalClusters.start(1)) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(cluster));
            runner(config).withPropertyValues("multislot.metrics.enabled=false").run(context -> {
                context.getBean(SlotSessions.class).session(ClusterId.of(cluster.clusterId()))
                        .flatMap(s -> s.random(16)).block(Duration.ofSeconds(10));
                assertThat(context.getBean(MeterRegistry.class).find("multislot.requests").timers()).isEmpty();
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registries {
        final List<String> observed = new CopyOnWriteArrayList<>();

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
                @Override
                public void onStop(Observation.Context context) {
                    observed.add(context.getName());
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }
}
