package dev.multislot.spring;

import dev.multislot.api.HsmConnector;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.config.ConfigCodec;
import dev.multislot.config.ConfigFileException;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.discovery.AwsClusterDiscovery;
import dev.multislot.spring.internal.ConnectorLifecycle;
import dev.multislot.spring.internal.ConnectorOptionsMapper;
import dev.multislot.spring.internal.CredentialsLoader;
import dev.multislot.spring.internal.LoginAtStart;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The Multislot connector as a Spring bean: options from {@code multislot.*}, clusters from the
 * config file (followed live unless {@code multislot.watch=false}), started with the application
 * and closed, with its drain grace, when it stops. Every bean backs off when the application
 * defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(ReactorHsmConnector.class)
@EnableConfigurationProperties(MultislotProperties.class)
public class MultislotAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public HsmConnectorOptions multislotConnectorOptions(MultislotProperties properties,
                                                         ObjectProvider<HsmConnectorOptionsCustomizer> customizers) {
        HsmConnectorOptions.Builder builder = ConnectorOptionsMapper.toBuilder(properties);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new MultislotPropertyException("multislot", e.getMessage());
        }
    }

    @Bean
    @ConditionalOnMissingBean
    public ClusterConfigSource multislotConfigSource(MultislotProperties properties) {
        if (properties.getConfigFile() == null) {
            throw new MultislotPropertyException("multislot.config-file", "must be set: the SDK 5 style file that lists the clusters");
        }
        if (properties.isWatch()) {
            return FileClusterConfigSource.watch(properties.getConfigFile());
        }
        try {
            return ClusterConfigSource.fixed(ConfigCodec.defaults().read(properties.getConfigFile()).clusters());
        } catch (ConfigFileException e) {
            throw new MultislotPropertyException("multislot.config-file", e.getMessage());
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "multislot.discovery", name = "enabled", havingValue = "true")
    public ClusterDiscovery multislotDiscovery() {
        return AwsClusterDiscovery.create();
    }

    /** Closed by {@link #multislotConnectorLifecycle}, after the web server, not by bean destruction. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(HsmConnector.class)
    public ReactorHsmConnector multislotConnector(HsmConnectorOptions options, ClusterConfigSource configSource,
                                                  ObjectProvider<ClusterDiscovery> discovery,
                                                  ObjectProvider<CircuitBreakerRegistry> breakers,
                                                  ObjectProvider<ReactorHsmConnectorBuilderCustomizer> customizers) {
        ReactorHsmConnector.Builder builder = ReactorHsmConnector.builder()
                .options(options)
                .configSource(configSource)
                .discovery(discovery.getIfAvailable());
        // The application's breaker registry (resilience4j-spring-boot's, say), so that the HSMs'
        // breakers show beside its own.
        breakers.ifUnique(builder::circuitBreakerRegistry);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    public ConnectorLifecycle multislotConnectorLifecycle(ReactorHsmConnector connector, MultislotProperties properties) {
        return new ConnectorLifecycle(connector, properties.getStartupTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "multislot.user", name = "login-at-start", havingValue = "true", matchIfMissing = true)
    public LoginAtStart multislotLoginAtStart(HsmConnector connector, SlotSessions sessions) {
        return new LoginAtStart(connector, sessions);
    }

    @Bean
    @ConditionalOnMissingBean
    public SlotSessions multislotSlotSessions(HsmConnector connector, MultislotProperties properties) {
        return new SlotSessions(connector, CredentialsLoader.load(properties.getUser()));
    }
}
