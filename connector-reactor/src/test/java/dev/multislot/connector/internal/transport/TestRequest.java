package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.CoreSubscriber;

/**
 * A request as a connection sees it, recording what the connection tells it; tests drive it
 * directly instead of subscribing to it.
 */
final class TestRequest extends OutboundRequest<Void> {

    private static final int IDLE = 0;
    private static final int ON_CONNECTION = 1;
    private static final int DONE = 2;

    private final Request request;
    private final AtomicInteger state = new AtomicInteger();
    final List<ResponseFrame> answers = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();
    /** Runs inside the connection's callback, after it is recorded. */
    Runnable onSignal = () -> { };

    TestRequest(Request request) {
        this.request = request;
    }

    void submitTo(HsmConnection c, long now, long timeoutNanos) {
        prepare(c, now + timeoutNanos, timeoutNanos);
        c.requestStarted();
        state.set(ON_CONNECTION);
        c.submit(this);
    }

    void cancel() {
        if (state.compareAndSet(ON_CONNECTION, DONE)) {
            connection().requestEnded();
            connection().releaseLater(this);
        }
    }

    int signals() {
        return answers.size() + failures.size();
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        throw new UnsupportedOperationException("driven by the test, not subscribed");
    }

    @Override
    protected Request request() {
        return request;
    }

    @Override
    protected boolean isEnded() {
        return state.get() != ON_CONNECTION;
    }

    @Override
    protected void onAnswer(ResponseFrame frame, long readNanos) {
        if (state.compareAndSet(ON_CONNECTION, DONE)) {
            connection().requestEnded();
            answers.add(frame);
            onSignal.run();
        }
    }

    @Override
    protected void onFailure(Throwable error) {
        if (state.compareAndSet(ON_CONNECTION, DONE)) {
            connection().requestEnded();
            failures.add(error);
            onSignal.run();
        }
    }
}
