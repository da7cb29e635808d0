package dev.multislot.spring;

import dev.multislot.connector.MetricsOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The connector's meters on the application's {@code MeterRegistry} and each request as an
 * observation on its {@code ObservationRegistry}, when Micrometer is on the class path and the
 * application has them (Spring Boot's actuator makes both). Off with {@code multislot.metrics.enabled=false}.
 */
@AutoConfiguration(before = MultislotAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MetricsOptions.class})
@ConditionalOnProperty(prefix = "multislot.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MultislotMetricsProperties.class)
public class MultislotMetricsAutoConfiguration {

    @Bean
    public ReactorHsmConnectorBuilderCustomizer multislotMetrics(ObjectProvider<MeterRegistry> meters,
                                                                 ObjectProvider<ObservationRegistry> observations,
                                                                 MultislotMetricsProperties properties) {
        return builder -> {
            MeterRegistry registry = meters.getIfAvailable();
            if (registry != null) {
                builder.meterRegistry(registry).metricsOptions(properties.toOptions());
            }
            ObservationRegistry observationRegistry = observations.getIfAvailable();
            if (observationRegistry != null && !observationRegistry.isNoop()) {
                builder.observationRegistry(observationRegistry);
            }
        };
    }
}
