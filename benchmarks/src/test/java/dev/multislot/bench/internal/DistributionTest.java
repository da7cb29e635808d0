package dev.multislot.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DistributionTest {

    @Test
    void sharesWindowsAndOperationsOverAllConnections() {
        Distribution d = Distribution.of(12, 16, 8192);
        assertThat(d.active()).isEqualTo(12);
        assertThat(IntStream.range(0, d.active()).map(d::window).sum()).isEqualTo(16);
        assertThat(IntStream.range(0, d.active()).map(d::quota).sum()).isEqualTo(8192);
        assertThat(d.window(0)).isEqualTo(2);
        assertThat(d.window(11)).isEqualTo(1);
        // Operations follow the windows, so that every connection finishes at about the same time.
        assertThat(d.window(3)).isEqualTo(2);
        assertThat(d.window(4)).isEqualTo(1);
        assertThat(d.quota(3)).isEqualTo(1024);
        assertThat(d.quota(11)).isEqualTo(512);
    }

    @Test
    void fewerInFlightThanConnectionsLeavesSomeIdle() {
        Distribution d = Distribution.of(4, 1, 100);
        assertThat(d.active()).isEqualTo(1);
        assertThat(d.window(0)).isEqualTo(1);
        assertThat(d.quota(0)).isEqualTo(100);
    }

    @Test
    void refusesFewerOperationsThanInFlight() {
        assertThatThrownBy(() -> Distribution.of(1, 256, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256").hasMessageContaining("100");
    }
}
