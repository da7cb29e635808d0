package dev.multislot.spring;

import dev.multislot.api.HsmConnector;
import dev.multislot.spring.internal.SlotsHealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@code multislot} in {@code /actuator/health}: one entry per slot (UP while one of its HSMs is
 * usable), when Spring Boot's health support is on the class path. Off with
 * {@code management.health.multislot.enabled=false}.
 */
@AutoConfiguration(after = MultislotAutoConfiguration.class)
@ConditionalOnClass(ReactiveHealthContributor.class)
@ConditionalOnBean(HsmConnector.class)
@ConditionalOnEnabledHealthIndicator("multislot")
public class MultislotHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "multislotHealthContributor")
    public SlotsHealthContributor multislotHealthContributor(HsmConnector connector) {
        return new SlotsHealthContributor(connector);
    }
}
