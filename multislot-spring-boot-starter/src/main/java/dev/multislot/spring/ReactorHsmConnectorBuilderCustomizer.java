package dev.multislot.spring;

import dev.multislot.connector.ReactorHsmConnector;

/**
 * Changes the connector's builder before the bean is built: the place for what is not an option
 * (a clock, a discovery, registries). Every bean of this type is applied, in {@code @Order}, after
 * the starter's own settings.
 */
@FunctionalInterface
public interface ReactorHsmConnectorBuilderCustomizer {

    /** Changes the builder; called once, at start-up. */
    void customize(ReactorHsmConnector.Builder builder);
}
