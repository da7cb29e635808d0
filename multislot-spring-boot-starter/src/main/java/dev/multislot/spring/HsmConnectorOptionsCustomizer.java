package dev.multislot.spring;

import dev.multislot.connector.HsmConnectorOptions;

/**
 * Changes the connector's options beyond what {@code multislot.*} properties can say (a balancing
 * policy, reconnection schedules, per-slot overrides computed in code). Every bean of this type is
 * applied, in {@code @Order}, after the properties.
 *
 * <pre>{@code
 * @Bean
 * HsmConnectorOptionsCustomizer euTimeouts() {
 *     return options -> options.forSlot(ClusterId.of("cluster-eu12345"), slot -> slot.requestTimeout(Duration.ofSeconds(2)));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface HsmConnectorOptionsCustomizer {

    /** Changes the builder; called once, at start-up. */
    void customize(HsmConnectorOptions.Builder options);
}
