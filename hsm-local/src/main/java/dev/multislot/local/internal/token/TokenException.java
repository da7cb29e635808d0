package dev.multislot.local.internal.token;

import dev.multislot.protocol.Status;
import java.util.Objects;

/** A request the token refuses, with the status to answer and a message that holds no secrets. */
public final class TokenException extends Exception {

    private final Status status;

    public TokenException(Status status, String message) {
        super(message, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The status to answer with. */
    public Status status() {
        return status;
    }
}
