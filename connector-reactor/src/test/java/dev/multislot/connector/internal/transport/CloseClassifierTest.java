package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.protocol.ProtocolViolationException;
import dev.multislot.protocol.Request;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Why a connection closed decides the error its requests end with. */
class CloseClassifierTest {

    @Test
    void aMalformedFrameClosesTheConnectionAndItsRequestsEndWithAProtocolError() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(16);
        try {
            TestRequest r = hsm.send(new Request.Random(1), Duration.ofSeconds(1));
            hsm.written();
            hsm.channel.pipeline().fireExceptionCaught(new DecoderException(new ProtocolViolationException("bad length")));
            hsm.channel.runPendingTasks();
            assertThat(hsm.connection.isClosed()).isTrue();
            assertThat(r.failures).singleElement().isInstanceOfSatisfying(AttemptFailure.class, f -> {
                assertThat(f.kind()).isEqualTo(AttemptFailure.Kind.CONNECTION);
                assertThat(f.mayHaveReachedHsm()).isTrue();
                assertThat(f.error()).isInstanceOf(HsmProtocolException.class).hasMessageContaining("bad length");
            });
            assertThat(hsm.connection.closeCause()).isInstanceOf(HsmProtocolException.class);
            assertThat(hsm.connection.load()).isZero();
        } finally {
            hsm.close();
        }
    }

    @Test
    void tlsAndIoFailuresAreNamedForWhatTheyAre() {
        ConnectionSettings settings = new ConnectionSettings(EmbeddedHsm.CLUSTER, EmbeddedHsm.ADDRESS, 1, 1 << 20,
                "c", 1, 1, 1, "trusting ca.pem");
        assertThat(CloseClassifier.classify(new SSLHandshakeException("bad_certificate"), settings))
                .isInstanceOf(HsmTlsException.class).hasMessageContaining("bad_certificate").hasMessageContaining("ca.pem");
        assertThat(CloseClassifier.classify(new IOException("reset"), settings))
                .isInstanceOf(HsmConnectionException.class).hasMessageContaining("connection lost: reset");
    }
}
