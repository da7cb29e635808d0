package dev.multislot.connector.internal;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.RetryMode;
import dev.multislot.connector.SlotOptions;
import java.util.Locale;

/**
 * The slot settings a cluster's config entry carries over the connector's options: the SDK's
 * {@code options.default_retry_mode}, when the file sets it, decides the slot's retry mode (the
 * connector's {@code retryMode}, per slot or connector-wide, is the default). A reload that changes
 * it reaches the running slot like any hot setting.
 */
final class ClusterFileSettings {

    private ClusterFileSettings() {
    }

    static SlotOptions slotOptions(HsmConnectorOptions options, ClusterConfig config) {
        SlotOptions base = options.slotOptions(config.clusterId());
        return config.options().defaultRetryMode()
                .map(m -> RetryMode.valueOf(m.toUpperCase(Locale.ROOT)))
                .filter(mode -> mode != base.retryMode())
                .map(mode -> base.with(b -> b.retryMode(mode)))
                .orElse(base);
    }
}
