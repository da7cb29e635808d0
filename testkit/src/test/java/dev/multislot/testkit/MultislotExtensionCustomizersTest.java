package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.local.LocalCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.scheduler.VirtualTimeScheduler;

/** What the builder's {@code connector(..)} and {@code clusterConfig(..)} customizers reach. */
class MultislotExtensionCustomizersTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private static final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            .clusterConfig(config -> config.withServers(config.servers().subList(0, 1)))
            .connector(builder -> builder.timer(time).meterRegistry(meters))
            .options(o -> o.requestTimeout(REQUEST_TIMEOUT).attemptTimeout(REQUEST_TIMEOUT)
                    .keepaliveInterval(Duration.ofDays(1)))
            // Closing waits on the virtual timer, which only the test moves.
            .closeGracePeriod(Duration.ZERO)
            .build();

    @Test
    void theConnectorGetsTheClustersConfigAsTheCustomizerChangedIt(Slot slot, LocalCluster cluster) {
        assertThat(cluster.hsms()).hasSize(2);
        assertThat(slot.hsms()).containsExactly(HsmAddress.of(cluster.hsm(0).host(), cluster.hsm(0).port()));
    }

    @Test
    void theConnectorBuilderCustomizerGivesTheConnectorItsMeterRegistry(SlotSession session) {
        assertThat(session.random(8).block(Duration.ofSeconds(10))).hasSize(8);
        assertThat(meters.find("multislot.requests").meters()).isNotEmpty();
    }

    @Test
    void aVirtualTimerGivenThroughTheCustomizerTimesRequestsOutOnVirtualTime(SlotSession session, LocalCluster cluster)
            throws InterruptedException {
        cluster.hsm(0).faults().stall(true);
        try {
            long start = time.now(TimeUnit.MILLISECONDS);
            CompletableFuture<byte[]> call = session.random(8).toFuture();
            // A minute of virtual time per step, each step a few real milliseconds: a ten-minute timeout on
            // the wall clock would fail this bound long before it fired.
            for (int minute = 0; minute <= 20 && !call.isDone(); minute++) {
                time.advanceTimeBy(Duration.ofMinutes(1));
                waitBriefly(call);
            }
            assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(HsmTimeoutException.class);
            assertThat(Duration.ofMillis(time.now(TimeUnit.MILLISECONDS) - start)).as("virtual time passed")
                    .isGreaterThanOrEqualTo(REQUEST_TIMEOUT);
        } finally {
            cluster.hsm(0).faults().stall(false);
        }
    }

    private static void waitBriefly(CompletableFuture<?> call) throws InterruptedException {
        try {
            call.get(20, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException endedOrNotYet) {
            // the loop looks at isDone()
        }
    }
}
