package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * One request on one given connection, as a cold {@link Mono}: each subscription creates a
 * {@link PendingRequest} and sends it when demand arrives. Emits the response frame; answers that
 * signal an HSM fault arrive as {@link FailedStatus} errors, a lost connection or a timeout as
 * {@link AttemptFailure}.
 */
public final class ConnectionRequest extends Mono<ResponseFrame> {

    private final HsmConnection connection;
    private final Request request;
    private final boolean control;
    private final long timeoutNanos;
    private final InFlightTracker tracker;

    /**
     * @param control true for the connection's own requests (HELLO, LOGIN, PING), which may use
     *     the few ids held back for them and are allowed before the connection is ready
     * @param timeoutNanos how long the request may wait for its answer, queueing included
     */
    public ConnectionRequest(HsmConnection connection, Request request, boolean control, long timeoutNanos,
                             InFlightTracker tracker) {
        this.connection = connection;
        this.request = request;
        this.control = control;
        this.timeoutNanos = timeoutNanos;
        this.tracker = tracker;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ResponseFrame> actual) {
        start(connection, request, control, timeoutNanos, tracker, actual);
    }

    /**
     * What a subscription does, without the {@link Mono}: one ordinary request per attempt needs
     * no object beyond its {@link PendingRequest}. {@code actual} receives the
     * {@link PendingRequest} in {@code onSubscribe} and sends the request by requesting.
     */
    public static void start(HsmConnection connection, Request request, boolean control, long timeoutNanos,
                             InFlightTracker tracker, CoreSubscriber<? super ResponseFrame> actual) {
        tracker.started();
        connection.requestStarted();
        actual.onSubscribe(new PendingRequest(connection, request, control, timeoutNanos, actual, tracker));
    }
}
