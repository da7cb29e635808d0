package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.api.ClusterId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options: typed defaults, setters that reject bad values by name, per-slot overrides. */
class HsmConnectorOptionsTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        SlotOptions d = HsmConnectorOptions.defaults().slotDefaults();
        assertThat(d.requestTimeout()).isEqualTo(HsmConnectorOptions.DEFAULT_REQUEST_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.connectionsPerHsm()).isEqualTo(2);
        assertThat(d.maxAttempts()).isEqualTo(3);
        assertThat(d.retryMode()).isEqualTo(RetryMode.STANDARD);
        assertThat(d.drainGracePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.periodicTopologyRefresh()).isFalse();
        assertThat(d.hostnameVerification()).isTrue();
        assertThat(d.breaker()).isEqualTo(BreakerSettings.defaults());
    }

    @Test
    void settersRejectBadValuesNamingTheSettingAndTheValue() {
        HsmConnectorOptions.Builder b = HsmConnectorOptions.builder();
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> b.maxPendingRequests(0))
                .hasMessageContaining("maxPendingRequests").hasMessageContaining("was 0");
        assertThatThrownBy(() -> b.connectionsPerHsm(65)).hasMessageContaining("connectionsPerHsm").hasMessageContaining("65");
        assertThatThrownBy(() -> b.drainGracePeriod(Duration.ofSeconds(-1))).hasMessageContaining("drainGracePeriod");
        assertThatThrownBy(() -> b.breaker(x -> x.failureRateThreshold(0))).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> b.clientName("bad\nname")).hasMessageContaining("clientName");
        assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2)).retryBackoffMax(Duration.ofSeconds(1)).build())
                .hasMessageContaining("retryBackoffMax").hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> BreakerSettings.builder().slidingWindowSize(5).minimumNumberOfCalls(6).build())
                .hasMessageContaining("minimumNumberOfCalls (6)");
    }

    @Test
    void perSlotOverridesStartFromTheConnectorWideValuesAndChangeOnlyWhatTheySet() {
        ClusterId special = ClusterId.of("cluster-special");
        HsmConnectorOptions options = HsmConnectorOptions.builder()
                .forSlot(special, spec -> spec.retryMode(RetryMode.OFF))
                .requestTimeout(Duration.ofSeconds(3))
                .build();
        assertThat(options.slotOptions(special).retryMode()).isEqualTo(RetryMode.OFF);
        // Set after forSlot, still inherited: the override is applied at build time.
        assertThat(options.slotOptions(special).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.slotOptions(ClusterId.of("cluster-other")).retryMode()).isEqualTo(RetryMode.STANDARD);
        HsmConnectorOptions copy = options.toBuilder().maxAttempts(5).build();
        assertThat(copy.slotOptions(special).maxAttempts()).isEqualTo(5);
        assertThat(copy.slotOptions(special).retryMode()).isEqualTo(RetryMode.OFF);
    }
}
