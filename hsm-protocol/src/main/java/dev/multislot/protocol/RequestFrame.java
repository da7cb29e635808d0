package dev.multislot.protocol;

import java.util.Objects;

/**
 * A request and the id its response will carry. Ids are chosen by the client, unique among the
 * requests in flight on one connection.
 */
public record RequestFrame(int requestId, Request request) {
    public RequestFrame {
        Objects.requireNonNull(request, "request");
    }
}
