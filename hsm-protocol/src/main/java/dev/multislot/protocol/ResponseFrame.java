package dev.multislot.protocol;

import java.util.Objects;

/** A response to the request with the same id and opcode on the same connection. */
public record ResponseFrame(int requestId, Opcode opcode, Response response) {
    public ResponseFrame {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(response, "response");
    }

    /** The response's status. */
    public Status status() {
        return response.status();
    }
}
