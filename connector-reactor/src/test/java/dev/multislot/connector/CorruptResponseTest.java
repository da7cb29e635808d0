package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.testkit.MultislotExtension;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** A garbled answer closes its connection only; the requests on it that are safe to repeat move. */
class CorruptResponseTest {

    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder().hsms(2).build();

    @Test
    void malformedFrameClosesThatConnectionAndItsSignsSucceedElsewhere(LocalCluster cluster,
            ReactorHsmConnector connector, SlotSession session) {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "corrupt").block();
        long closedBefore = connector.runtime().metrics().connectionsClosed();
        ConcurrentLinkedQueue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        Disposable sub = connector.events().subscribe(events::add);
        cluster.hsm(0).faults().corruptNextResponse();
        Long ok = Flux.range(0, 2000)
                .flatMap(i -> session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(i)), 64)
                .count()
                .block(Duration.ofSeconds(60));
        assertThat(ok).isEqualTo(2000);
        assertThat(connector.runtime().metrics().connectionsClosed() - closedBefore)
                .as("connections closed for a malformed frame").isEqualTo(1);
        // The slot reconnects: every connection is back.
        Await.until("reconnect", Duration.ofSeconds(10), () -> Internals.readyConnections(connector.slots().get(0)) == 4);
        sub.dispose();
    }
}
