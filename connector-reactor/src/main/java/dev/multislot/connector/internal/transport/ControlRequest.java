package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * One of the connection's own requests (HELLO, LOGIN, LOGOUT, PING) as a {@link reactor.core.publisher.Mono}
 * of its answer, subscribed once. Answers that signal an HSM fault arrive as {@link FailedStatus}
 * errors, a lost connection or a timeout as {@link AttemptFailure}.
 */
final class ControlRequest extends OutboundRequest<ResponseFrame> implements Subscription {

    private static final VarHandle STATE;
    private static final int NEW = 0;
    private static final int SUBSCRIBED = 1;
    private static final int ON_CONNECTION = 2;
    private static final int DONE = 3;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ControlRequest.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HsmConnection target;
    private final Request request;
    private final long timeout;
    /** False for a slot-layer request sent to this one connection (the key availability check's GET_KEY). */
    private final boolean control;
    private CoreSubscriber<? super ResponseFrame> actual;
    @SuppressWarnings("unused")
    private volatile int state;

    ControlRequest(HsmConnection target, Request request, long timeoutNanos) {
        this(target, request, timeoutNanos, true);
    }

    ControlRequest(HsmConnection target, Request request, long timeoutNanos, boolean control) {
        this.target = target;
        this.request = request;
        this.timeout = timeoutNanos;
        this.control = control;
    }

    @Override
    public void subscribe(CoreSubscriber<? super ResponseFrame> actual) {
        if (!STATE.compareAndSet(this, NEW, SUBSCRIBED)) {
            Operators.error(actual, new IllegalStateException("a connection's own request is sent once"));
            return;
        }
        this.actual = actual;
        actual.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n) && STATE.compareAndSet(this, SUBSCRIBED, ON_CONNECTION)) {
            prepare(target, target.time().nanoTime() + timeout, timeout);
            target.submit(this);
        }
    }

    @Override
    public void cancel() {
        int s = (int) STATE.getAndSet(this, DONE);
        if (s == ON_CONNECTION) {
            target.releaseLater(this);
        }
    }

    @Override
    protected Request request() {
        return request;
    }

    @Override
    protected boolean isControl() {
        return control;
    }

    @Override
    protected boolean isEnded() {
        return (int) STATE.getVolatile(this) == DONE;
    }

    @Override
    protected void onAnswer(ResponseFrame frame, long readNanos) {
        if (STATE.compareAndSet(this, ON_CONNECTION, DONE)) {
            if (FailedStatus.isHsmFault(frame.status())) {
                actual.onError(new FailedStatus(frame));
            } else {
                actual.onNext(frame);
                actual.onComplete();
            }
        }
    }

    @Override
    protected void onFailure(Throwable error) {
        if (STATE.compareAndSet(this, ON_CONNECTION, DONE)) {
            actual.onError(error);
        }
    }

    @Override
    public String toString() {
        return "ControlRequest[" + request.opcode() + " on " + target + "]";
    }
}
