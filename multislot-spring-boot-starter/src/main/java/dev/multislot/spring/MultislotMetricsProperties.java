package dev.multislot.spring;

import dev.multislot.connector.MetricsOptions;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code multislot.metrics.*}: how the connector's meters are recorded (docs/observability.md lists them). */
@ConfigurationProperties("multislot.metrics")
public class MultislotMetricsProperties {

    /** Whether the connector records its meters and observations on the application's registries. */
    private boolean enabled = true;
    /** Whether request timers publish a percentile histogram (for Prometheus histogram_quantile). */
    private boolean percentileHistogram = MetricsOptions.DEFAULT_PERCENTILE_HISTOGRAM;
    /** Client-side percentiles request timers publish, such as 0.5, 0.99; none by default. */
    private List<Double> percentiles = List.of();
    /** Whether each attempt is also timed per HSM (multislot.hsm.requests); off bounds cardinality. */
    private boolean hsmTimers = MetricsOptions.DEFAULT_HSM_TIMERS;
    /** Whether Reactor Netty's own connection meters are recorded too. */
    private boolean reactorNettyMetrics = MetricsOptions.DEFAULT_REACTOR_NETTY_METRICS;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isPercentileHistogram() {
        return percentileHistogram;
    }

    public void setPercentileHistogram(boolean percentileHistogram) {
        this.percentileHistogram = percentileHistogram;
    }

    public List<Double> getPercentiles() {
        return percentiles;
    }

    public void setPercentiles(List<Double> percentiles) {
        this.percentiles = percentiles;
    }

    public boolean isHsmTimers() {
        return hsmTimers;
    }

    public void setHsmTimers(boolean hsmTimers) {
        this.hsmTimers = hsmTimers;
    }

    public boolean isReactorNettyMetrics() {
        return reactorNettyMetrics;
    }

    public void setReactorNettyMetrics(boolean reactorNettyMetrics) {
        this.reactorNettyMetrics = reactorNettyMetrics;
    }

    MetricsOptions toOptions() {
        try {
            return MetricsOptions.builder().percentileHistogram(percentileHistogram)
                    .percentiles(percentiles.stream().mapToDouble(Double::doubleValue).toArray())
                    .hsmTimers(hsmTimers).reactorNettyMetrics(reactorNettyMetrics).build();
        } catch (IllegalArgumentException e) {
            throw new MultislotPropertyException("multislot.metrics.percentiles", "'" + percentiles + "' is not valid: " + e.getMessage());
        }
    }
}
