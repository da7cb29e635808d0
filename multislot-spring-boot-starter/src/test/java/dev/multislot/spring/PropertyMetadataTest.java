package dev.multislot.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.spring.internal.ConnectorOptionsMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The defaults the IDE shows for {@code multislot.*} are the connector's own. */
class PropertyMetadataTest {

    /**
     * Settings of the starter itself, or without a fixed default (event-loop threads follow the CPUs; a
     * local zone is the application's own, and unset means no zone preference).
     */
    private static final Set<String> NOT_CONNECTOR_OPTIONS = Set.of("multislot.config-file", "multislot.watch",
            "multislot.startup-timeout", "multislot.discovery.enabled", "multislot.event-loop-threads",
            "multislot.slots", "multislot.user.name", "multislot.user.password", "multislot.user.password-file",
            "multislot.load-balancing.local-zone");

    @Test
    void everyDocumentedDefaultGivesTheConnectorsDefaultOptions() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        String defaults = HsmConnectorOptions.defaults().toString();
        List<String> checked = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            if (NOT_CONNECTOR_OPTIONS.contains(name) || name.startsWith("multislot.metrics.")) {
                continue;
            }
            if (!property.has("defaultValue")) {
                undocumented.add(name);
                continue;
            }
            MultislotProperties bound = new Binder(new MapConfigurationPropertySource(
                    Map.of(name, property.get("defaultValue").asText()))).bind("multislot", MultislotProperties.class).get();
            assertThat(ConnectorOptionsMapper.toBuilder(bound).build().toString())
                    .as("%s=%s", name, property.get("defaultValue").asText()).isEqualTo(defaults);
            checked.add(name);
        }
        assertThat(undocumented).as("options without a default in the metadata").isEmpty();
        assertThat(checked).hasSizeGreaterThanOrEqualTo(27).contains("multislot.request-timeout",
                "multislot.breaker.wait-duration-in-open-state", "multislot.close-grace-period");
    }

    @Test
    void theMetricsPropertiesDefaultToTheConnectorsMetricsOptions() {
        assertThat(new MultislotMetricsProperties().toOptions().toString())
                .isEqualTo(dev.multislot.connector.MetricsOptions.defaults().toString());
    }

    @Test
    void aNonDefaultValueIsSeen() {
        MultislotProperties bound = new Binder(new MapConfigurationPropertySource(
                Map.of("multislot.request-timeout", "11s"))).bind("multislot", MultislotProperties.class).get();
        assertThat(ConnectorOptionsMapper.toBuilder(bound).build().toString())
                .isNotEqualTo(HsmConnectorOptions.defaults().toString());
    }
}
