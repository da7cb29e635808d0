package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/** Cancelled subscribers free their request ids and pending places at once. */
class CancellationTest {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            .options(o -> o.maxPendingRequests(20_000)
                    .requestTimeout(Duration.ofSeconds(60))
                    .attemptTimeout(Duration.ofSeconds(60))
                    .keepaliveInterval(Duration.ofMinutes(5)))
            .build();

    @Test
    void cancellingTenThousandInFlightRequestsLeavesNoPendingEntry(LocalCluster cluster, Slot slot,
            SlotSession session) {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "cancel").block();
        cluster.hsms().forEach(h -> h.faults().stall(true));
        AtomicInteger signals = new AtomicInteger();
        List<Disposable> subscriptions = new ArrayList<>(10_000);
        try {
            for (int i = 0; i < 10_000; i++) {
                subscriptions.add(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {(byte) i})
                        .subscribe(v -> signals.incrementAndGet(), e -> signals.incrementAndGet()));
            }
            assertThat(Internals.pending(slot)).isEqualTo(10_000);
            // Every request has reached a connection: on the wire, or waiting for a free place there.
            Await.until("requests to reach the connections", Duration.ofSeconds(20),
                    () -> Internals.connectionLoad(slot) == 10_000);
            assertThat(Internals.occupiedPlaces(slot)).isPositive();

            subscriptions.forEach(Disposable::dispose);

            assertThat(Internals.pending(slot)).isZero();
            Await.until("request ids and in-flight counts to be released", Duration.ofSeconds(10),
                    () -> Internals.occupiedPlaces(slot) == 0 && Internals.inFlight(slot) == 0
                            && Internals.connectionLoad(slot) == 0);
            assertThat(signals).as("a cancelled request never signals").hasValue(0);
        } finally {
            cluster.hsms().forEach(h -> h.faults().stall(false));
        }
        // The connections are still usable: the cancelled requests' capacity was given back.
        assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}).block(Duration.ofSeconds(10)))
                .hasSize(32);
        assertThat(Internals.pending(slot)).isZero();
    }
}
