package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;

/**
 * An HSM that goes down opens its breaker at once, even with no traffic to fill the breaker's
 * window; when it is back, probe requests half-open and then close the breaker.
 */
class DownHsmBreakerTest {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2)
            .options(o -> o.reconnectDelay(Duration.ofMillis(50))
                    .breaker(b -> b.permittedCallsInHalfOpenState(2).waitDurationInOpenState(Duration.ofMinutes(5))))
            .build();

    @Test
    void aDeadHsmOpensItsBreakerAtOnceAndProbesCloseItWhenItReturns(LocalCluster cluster, ReactorHsmConnector connector,
            SlotSession session) {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "down").block(Duration.ofSeconds(10));
        LocalHsm victim = cluster.hsm(0);
        HsmAddress victimAddress = Clusters.address(victim);
        List<BreakerState> transitions = new CopyOnWriteArrayList<>();
        Disposable sub = Internals.recordBreakerStates(connector, victimAddress, transitions);

        victim.stop();   // no request in flight: only the lost connections say it is down
        Await.until("the breaker to open", Duration.ofSeconds(10), () -> transitions.contains(BreakerState.OPEN));

        victim.start();  // the breaker's own wait (5 minutes) has not passed: reconnecting is what lets probes in
        Await.until("the breaker to half-open", Duration.ofSeconds(20), () -> transitions.contains(BreakerState.HALF_OPEN));
        long servedBefore = victim.stats().requestsServed();
        for (int i = 0; i < 200 && !transitions.contains(BreakerState.CLOSED); i++) {
            assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)).block(Duration.ofSeconds(10))).isNotEmpty();
        }
        assertThat(transitions).containsSubsequence(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
        assertThat(victim.stats().requestsServed()).as("the probes reached the returned HSM").isGreaterThan(servedBefore);
        sub.dispose();
    }
}
