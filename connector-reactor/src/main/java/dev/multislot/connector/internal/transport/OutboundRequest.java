package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import reactor.core.publisher.Mono;

/**
 * A request as a connection carries it, and at the same time the cold {@link Mono} its caller
 * subscribed to: the connection's in-flight entry, the caller's publisher and (in subclasses) the
 * caller's subscription and retry state are one object, as Lettuce's {@code Command} is both the
 * caller's future and the entry of its connection's queue. Written to the channel as it is; the
 * encoder reads {@link #request()} and the id the table gave it.
 *
 * <p>Contract with the connection: the connection takes the entry off its table or wait list first
 * and then calls exactly one of {@link #onAnswer} and {@link #onFailure}, on its event loop. The
 * entry resolves the race against its caller's cancel itself (a cancelled entry ignores the
 * signal). An entry may be submitted again, to this connection or another one, once its previous
 * attempt has been signalled; the fields below are reset for every attempt.
 */
public abstract class OutboundRequest<T> extends Mono<T> {

    // Set by the submitting thread before the hand-over publishes the entry to the loop.
    HsmConnection connection;
    long deadline;
    long timeoutNanos;
    /** The next entry of a hand-over chain (an {@link Outbox} batch); null at the end of it. */
    OutboundRequest<?> nextInChain;

    // Confined to the connection's event loop.
    int index = -1;
    int wireId;
    boolean written;
    boolean writeFailed;
    boolean waiting;
    OutboundRequest<?> prevWaiting;
    OutboundRequest<?> nextWaiting;

    /** The request to encode. */
    protected abstract Request request();

    /**
     * Whether this is one of the connection's own requests (HELLO, LOGIN, LOGOUT, PING): they may
     * use the places held back for them and are allowed before the connection is ready, and they
     * are not counted in the connection's load.
     */
    protected boolean isControl() {
        return false;
    }

    /** Whether the entry has ended (answered, failed or cancelled), so that the connection can skip it. */
    protected abstract boolean isEnded();

    /**
     * The answer, on the event loop, the entry already off the table.
     *
     * @param readNanos when the read that brought it began, by the connection's time source
     */
    protected abstract void onAnswer(ResponseFrame frame, long readNanos);

    /**
     * The attempt ended without an answer, on the event loop (or, when the loop is gone, on the
     * thread that found it gone): an {@link AttemptFailure}, or a public error that is final.
     */
    protected abstract void onFailure(Throwable error);

    /**
     * Prepares an attempt on {@code target}, before it is counted and submitted: its deadline by
     * the connection's time source, and how long it was given (0: no timeout of its own, a bound
     * above it applies).
     */
    protected final void prepare(HsmConnection target, long deadlineNanos, long timeoutNanos) {
        this.connection = target;
        this.deadline = deadlineNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** The connection of the current (or last) attempt. */
    protected final HsmConnection connection() {
        return connection;
    }

    /** Whether the current attempt may have reached the HSM: written, and its write not known to have failed. */
    final boolean mayHaveReachedHsm() {
        return written && !writeFailed;
    }

    final boolean isTimed() {
        return timeoutNanos > 0;
    }
}
