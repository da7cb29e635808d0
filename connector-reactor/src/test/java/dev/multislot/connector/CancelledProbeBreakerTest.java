package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A half-open breaker lets a few probes through; a probe cancelled before its answer gives its
 * permission back, so that later requests can still probe the HSM and close the breaker.
 *
 * <p>On virtual time: the reconnection schedule that brings the restarted HSM back runs when the
 * test moves the connector's clock. No request is in flight then, and the connect and attempt
 * timeouts are hours long ({@link VirtualClock#patientOptions()}), so moving the clock times nothing out.
 */
class CancelledProbeBreakerTest {

    @Test
    void cancelledProbesDoNotUseUpTheHalfOpenBreakersPermissions() {
        VirtualClock time = new VirtualClock();
        try (LocalCluster cluster = Clusters.start(1);
             ReactorHsmConnector connector = time.connect(VirtualClock.patientOptions()
                     .connectionsPerHsm(1)
                     .breaker(b -> b.permittedCallsInHalfOpenState(2).waitDurationInOpenState(Duration.ofMinutes(5)))
                     .build(), Clusters.config(cluster))) {
            Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
            SlotSession session = Internals.loginEverywhere(slot);
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "probe").block(Duration.ofSeconds(10));
            LocalHsm hsm = cluster.hsm(0);
            HsmAddress address = Clusters.address(hsm);
            List<BreakerState> transitions = new CopyOnWriteArrayList<>();
            Disposable events = Internals.recordBreakerStates(connector, address, transitions);
            hsm.stop();
            Await.until("the breaker to open", Duration.ofSeconds(10), () -> transitions.contains(BreakerState.OPEN));
            hsm.start();
            time.advanceUntil("the breaker to half-open", () -> transitions.contains(BreakerState.HALF_OPEN),
                    Duration.ofMinutes(1));
            time.advanceUntil("the HSM to be ready", () -> Internals.readyConnections(slot) == 1, Duration.ofMinutes(1));

            // Two probes take both permissions, and are cancelled before the stalled HSM answers.
            hsm.faults().stall(true);
            AtomicInteger signals = new AtomicInteger();
            Disposable first = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1))
                    .subscribe(v -> signals.incrementAndGet(), e -> signals.incrementAndGet());
            Disposable second = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(2))
                    .subscribe(v -> signals.incrementAndGet(), e -> signals.incrementAndGet());
            Await.until("both probes to reach the HSM", Duration.ofSeconds(10), () -> Internals.inFlight(slot) == 2);
            first.dispose();
            second.dispose();
            Await.until("the probes to end", Duration.ofSeconds(10), () -> Internals.inFlight(slot) == 0);
            hsm.faults().stall(false);

            // With their permissions back, new probes run and close the breaker.
            for (int i = 0; i < 20 && !transitions.contains(BreakerState.CLOSED); i++) {
                assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(10 + i))
                        .block(Duration.ofSeconds(10))).isNotEmpty();
            }
            assertThat(transitions).containsSubsequence(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
            assertThat(signals).as("a cancelled request never signals").hasValue(0);
            events.dispose();
        }
    }
}
