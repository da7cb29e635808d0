package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.protocol.ProtocolViolationException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Names why a connection failed, from what its pipeline reported: a malformed frame is a protocol
 * error, a TLS failure says which CA and client certificate were used, an I/O error is a lost
 * connection. The requests on the connection end with the result.
 */
final class CloseClassifier {

    private CloseClassifier() {
    }

    static HsmConnectorException classify(Throwable cause, ConnectionSettings settings) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolViolationException) {
            return new HsmProtocolException("malformed frame from the HSM: " + root.getMessage(),
                    settings.clusterId(), settings.address(), root);
        }
        if (root instanceof SSLException) {
            return new HsmTlsException("TLS failure (did the HSM refuse this client's certificate?): "
                    + root.getMessage() + "; " + settings.tlsDescription(), settings.clusterId(), settings.address(), root);
        }
        if (root instanceof IOException) {
            return new HsmConnectionException("connection lost: " + root.getMessage(), settings.clusterId(),
                    settings.address(), root);
        }
        return new HsmConnectionException("connection failed: " + root, settings.clusterId(), settings.address(), root);
    }
}
