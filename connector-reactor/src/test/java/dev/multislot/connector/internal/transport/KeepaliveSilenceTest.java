package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A PING after a keepalive interval of silence; an unanswered one closes the connection. */
class KeepaliveSilenceTest {

    @Test
    void silenceBringsAPingAndAnUnansweredPingClosesTheConnection() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(16, TimeUnit.SECONDS.toNanos(1));
        try {
            hsm.advance(Duration.ofMillis(600));
            assertThat(hsm.written()).as("not silent long enough yet").isEmpty();
            hsm.advance(Duration.ofMillis(1000));
            RequestFrame ping = hsm.single();
            assertThat(ping.request()).isInstanceOf(Request.Ping.class);
            hsm.answer(ping.requestId(), Opcode.PING, new Response.Bytes(new byte[0]));
            hsm.advance(Duration.ofMillis(600));
            assertThat(hsm.written()).as("the answer was a read: no new PING yet").isEmpty();

            hsm.advance(Duration.ofMillis(1000));
            assertThat(hsm.single().request()).isInstanceOf(Request.Ping.class);
            hsm.advance(Duration.ofMillis(1100));
            assertThat(hsm.connection.isClosed()).isTrue();
            assertThat(hsm.connection.closeCause()).isInstanceOf(HsmTimeoutException.class)
                    .hasMessageContaining("keepalive PING not answered");
        } finally {
            hsm.close();
        }
    }
}
