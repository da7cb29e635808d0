package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import reactor.core.publisher.Mono;

/** The HELLO exchange that opens a connection: versions, limits and the HSM's cluster. */
final class Handshake {

    private Handshake() {
    }

    static Mono<HsmConnection> hello(HsmConnection connection, ConnectionSettings settings) {
        Request hello = new Request.Hello(ProtocolConstants.VERSION, settings.clientName());
        return connection.control(hello, settings.controlTimeoutNanos())
                .onErrorMap(connection::controlError)
                .flatMap(frame -> {
                    if (!(frame.response() instanceof Response.HelloOk ok)) {
                        return Mono.error(connection.protocolError("HELLO answered with " + HsmConnection.describe(frame)));
                    }
                    if (ok.protocolVersion() != ProtocolConstants.VERSION) {
                        return Mono.error(connection.protocolError("HSM speaks protocol version " + ok.protocolVersion()
                                + ", this client " + ProtocolConstants.VERSION));
                    }
                    if (ok.maxInFlight() < 1 || ok.maxFrameSize() < ProtocolConstants.MIN_MAX_FRAME_SIZE) {
                        return Mono.error(connection.protocolError("HELLO announced maxInFlight " + ok.maxInFlight()
                                + " and maxFrameSize " + ok.maxFrameSize() + ", which are out of range"));
                    }
                    if (!ok.clusterId().isEmpty() && settings.clusterId().looksLikeAwsClusterId()
                            && !ok.clusterId().equals(settings.clusterId().value())) {
                        // A connection to another cluster's HSM is an error, never a fallback.
                        return Mono.error(new HsmConnectionException("the HSM belongs to cluster " + ok.clusterId()
                                + ", not to the configured one; check the servers of this cluster in the config",
                                settings.clusterId(), settings.address()));
                    }
                    // Runs on the loop: the answer was delivered there.
                    connection.applyHello(ok);
                    return Mono.just(connection);
                });
    }
}
