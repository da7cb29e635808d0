package dev.multislot.bench.internal;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One request of the floor as a cold {@link Mono}: the least a reactive client can hand its
 * caller. It is at once the publisher, the subscription and the connection's in-flight entry (one
 * object per request); the request is submitted on the first {@code request(n)} and its answer
 * completes the subscriber on the connection's event loop. No timeout, no retry, no breaker.
 */
final class FloorCall extends Mono<Response> implements Subscription {

    private final FloorConnection connection;
    private final Request request;
    private CoreSubscriber<? super Response> actual;
    private boolean submitted;
    private volatile boolean cancelled;

    FloorCall(FloorConnection connection, Request request) {
        this.connection = connection;
        this.request = request;
    }

    Request request() {
        return request;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Response> subscriber) {
        if (actual != null) {
            Operators.error(subscriber,
                    new IllegalStateException("a floor request is subscribed once"));
            return;
        }
        actual = subscriber;
        subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (n > 0 && !submitted) {
            submitted = true;
            connection.submit(this);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    /** The answer arrived (on the event loop). */
    void answer(Response response) {
        if (cancelled) {
            return;
        }
        if (response instanceof Response.Error e) {
            actual.onError(new IllegalStateException(request.opcode() + " failed: " + e.status() + " " + e.message()));
            return;
        }
        actual.onNext(response);
        actual.onComplete();
    }

    /** The request cannot be sent or answered. */
    void fail(Throwable error) {
        if (!cancelled) {
            actual.onError(error);
        }
    }
}
