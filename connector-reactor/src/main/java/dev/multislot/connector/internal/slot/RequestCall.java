package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.api.errors.NotLoggedInException;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.metrics.Outcome;
import dev.multislot.connector.internal.transport.FailedStatus;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.connector.internal.transport.OutboundRequest;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/**
 * One session operation, from the {@code Mono} the caller holds to its end: the caller's
 * publisher, its subscription, the state of its attempts and the in-flight entry of the connection
 * carrying the current attempt are this one object (a resubscription gets a copy). Its first
 * attempt allocates nothing more; a retry reuses it, and only what a retry needs (the HSMs to
 * skip, their errors) is allocated then. Time is read once per request, when it starts; the
 * answer's time is the connection's, once per read.
 *
 * <p>{@code state} is the single atomic that decides every end: the answer, the last error, a
 * timeout and the subscriber's cancel race for it, and only the winner releases the slot's
 * pending place, counts the connection's load down and signals. {@code ATTEMPT} means the
 * current attempt is in a connection's hands (its table, wait list, inbox); the connection
 * signals it once, through {@link #onAnswer} or {@link #onFailure}.
 *
 * <p>The call runs each HSM's circuit breaker itself, with the semantics of Resilience4j's reactive
 * operator: a permission before the attempt (none: the HSM is skipped), the outcome and duration
 * after it (an answer is a success, an error is judged by the breaker's own rule,
 * {@link HsmNode#isHsmFailure}), and the permission handed back when the attempt is cancelled.
 * What is retried, and why, is {@link AttemptOutcomes}'s.
 */
abstract class RequestCall<T> extends OutboundRequest<T> implements Subscription {

    private static final VarHandle STATE;
    private static final int UNSUBSCRIBED = 0;
    private static final int SUBSCRIBED = 1;
    private static final int RUNNING = 2;
    private static final int ATTEMPT = 3;
    private static final int DONE = 4;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RequestCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SlotImpl slot;
    final LoginState login;
    private final ResponseMapper<T> mapper;
    private CoreSubscriber<? super T> actual;
    private Request request;
    @SuppressWarnings("unused")
    private volatile int state;
    /** The timer of a backoff between attempts, so that a cancel can stop it. */
    private volatile Disposable backoff;

    // Touched by one thread at a time: each step is triggered by the end of the previous one.
    SlotOptions options;
    long requestDeadline;
    private long attemptStart;
    /** Read by a cancel after it saw {@code ATTEMPT}, which was set after this was written. */
    private HsmNode attemptNode;
    /** Created at the first failed attempt. */
    private AttemptOutcomes outcomes;
    /** For meters: when the request started (the time it read anyway), and its observation or null. */
    private long begun;
    private Object observation;

    RequestCall(SlotImpl slot, LoginState login, ResponseMapper<T> mapper) {
        this.slot = slot;
        this.login = login;
        this.mapper = mapper;
    }

    /** Builds the request when a subscriber arrives, copying the caller's arrays then. */
    abstract Request newRequest();

    // ------------------------------------------------------------------ the caller's side

    @Override
    public void subscribe(CoreSubscriber<? super T> subscriber) {
        if (!STATE.compareAndSet(this, UNSUBSCRIBED, SUBSCRIBED)) {
            // A cold Mono subscribed again: the new subscription is a new call.
            new Again<>(this).subscribe(subscriber);
            return;
        }
        Request r;
        try {
            r = newRequest();
        } catch (RuntimeException e) {
            STATE.setVolatile(this, DONE);
            Operators.error(subscriber, e);
            return;
        }
        request = r;
        actual = subscriber;
        observation = slot.recorder().requestStarted(r.opcode(), subscriber);
        subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n) || (int) STATE.getVolatile(this) != SUBSCRIBED) {
            return;
        }
        HsmConnectorException refused = slot.admit();
        if (refused != null) {
            if (STATE.compareAndSet(this, SUBSCRIBED, DONE)) {
                begun = slot.time().nanoTime();
                recordEnd(refused, begun);
                actual.onError(refused);
            }
            return;
        }
        if (!STATE.compareAndSet(this, SUBSCRIBED, RUNNING)) {
            slot.release(); // cancelled while it was being admitted
            return;
        }
        options = slot.options();
        long now = slot.time().nanoTime();
        begun = now;
        requestDeadline = now + options.requestTimeout().toNanos();
        next(now);
    }

    @Override
    public void cancel() {
        int s = (int) STATE.getVolatile(this);
        while (s != DONE) {
            if (STATE.compareAndSet(this, s, DONE)) {
                if (s == ATTEMPT) {
                    // The attempt ends without an outcome: its breaker permission goes back unused.
                    HsmConnection c = connection();
                    c.requestEnded();
                    attemptNode.breaker().releasePermission();
                    c.releaseLater(this);
                } else if (s == RUNNING) {
                    Disposable b = backoff;
                    if (b != null) {
                        b.dispose();
                    }
                }
                if (s >= RUNNING) {
                    slot.release();
                }
                recordEnd(Outcome.CANCELLED_SIGNAL, s >= RUNNING ? slot.time().nanoTime() : begun);
                return;
            }
            s = (int) STATE.getVolatile(this);
        }
    }

    // ------------------------------------------------------------------ attempts

    /** Chooses an HSM and sends the next attempt; or ends the request when none can take it. */
    final void next(long now) {
        while (!isDone()) {
            HsmConnectorException stop = slot.refusalWhileRunning();
            if (stop != null) {
                fail(stop);
                return;
            }
            if (slot.currentLogin() != login) {
                fail(new NotLoggedInException("the session's login has ended (logged out, or another login replaced it)",
                        slot.clusterId(), null));
                return;
            }
            long remaining = requestDeadline - now;
            if (remaining <= 0) {
                fail(outcomes().timedOut());
                return;
            }
            int generation = login.generation();
            AttemptOutcomes o = outcomes;
            HsmNode node;
            try {
                node = o == null ? slot.pick(generation, null, 0) : o.pick(generation);
            } catch (IllegalStateException policyBroken) {
                fail(policyBroken);
                return;
            }
            if (node == null) {
                fail(slot.unavailable(generation, o == null ? null : o.errors()));
                return;
            }
            HsmConnection connection = node.pickConnection(generation);
            if (connection == null) {
                outcomes().exclude(node, node.unavailableReason(generation));
                continue;
            }
            if (!node.breaker().tryAcquirePermission()) {
                node.observeBreaker();
                outcomes().exclude(node, node.breakerRefusal(
                        "circuit breaker refused the request: open, or half-open with its probe requests already in flight"));
                continue;
            }
            // A state change is bounded only by the request timeout: cutting it short would leave
            // its outcome unknown, and it cannot move to another HSM anyway.
            long timeout = request.opcode().changesState() ? remaining : Math.min(options.attemptTimeout().toNanos(), remaining);
            attemptNode = node;
            attemptStart = now;
            prepare(connection, now + timeout, timeout);
            connection.requestStarted();
            if (!STATE.compareAndSet(this, RUNNING, ATTEMPT)) {
                connection.requestEnded(); // cancelled meanwhile
                node.breaker().releasePermission();
                return;
            }
            connection.submit(this);
            return;
        }
    }

    @Override
    protected final void onAnswer(ResponseFrame frame, long readNanos) {
        HsmNode node = attemptNode;
        Status status = frame.status();
        if (FailedStatus.isHsmFault(status)) {
            if (STATE.compareAndSet(this, ATTEMPT, RUNNING)) {
                connection().requestEnded();
                attemptFailed(node, new FailedStatus(frame), readNanos);
            }
            return;
        }
        T value = null;
        HsmConnectorException error = null;
        if (status != Status.OK) {
            error = ErrorMapping.toException(frame, slot.clusterId(), node.address());
        } else {
            try {
                value = mapper.map(frame.response(), node.address());
            } catch (HsmConnectorException e) {
                error = e;
            } catch (RuntimeException e) {
                error = new HsmProtocolException("unexpected answer to " + frame.opcode() + ": " + e,
                        slot.clusterId(), node.address(), e);
            }
        }
        if (!STATE.compareAndSet(this, ATTEMPT, DONE)) {
            return; // cancelled: the permission went back, the answer is dropped
        }
        connection().requestEnded();
        // Any answer other than a fault proves the HSM works: a success for its breaker.
        // The read's clock is its batch's first answer's: never let it make a duration negative.
        long took = Math.max(0, readNanos - attemptStart);
        node.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        node.observeBreaker();
        slot.release();
        slot.recorder().attemptEnded(node.address(), took, Outcome.of(status));
        recordEnd(error, readNanos);
        if (error != null) {
            actual.onError(error);
        } else {
            actual.onNext(value);
            actual.onComplete();
        }
    }

    @Override
    protected final void onFailure(Throwable error) {
        if (STATE.compareAndSet(this, ATTEMPT, RUNNING)) {
            connection().requestEnded();
            attemptFailed(attemptNode, error, slot.time().nanoTime());
        }
    }

    private void attemptFailed(HsmNode node, Throwable error, long now) {
        // The breaker's predicate decides: HSM and network failures count, anything else is a success.
        long took = Math.max(0, now - attemptStart);
        node.breaker().onError(took, TimeUnit.NANOSECONDS, error);
        node.observeBreaker();
        slot.recorder().attemptEnded(node.address(), took, Outcome.of(error));
        outcomes().afterFailure(node, error, now);
    }

    /** Waits {@code delayNanos}, then tries again; the wait is cancelled with the call. */
    final void retryAfter(long delayNanos, HsmConnectorException ifRefused) {
        Disposable timer;
        try {
            timer = slot.context().timer().schedule(() -> next(slot.time().nanoTime()), Math.max(0, delayNanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            HsmConnectorException stop = slot.refusalWhileRunning();
            fail(stop != null ? stop : ifRefused);
            return;
        }
        backoff = timer;
        if (isDone()) {
            timer.dispose(); // cancelled while the timer was being set
        }
    }

    private AttemptOutcomes outcomes() {
        AttemptOutcomes o = outcomes;
        if (o == null) {
            o = new AttemptOutcomes(this);
            outcomes = o;
        }
        return o;
    }

    private boolean isDone() {
        return (int) STATE.getVolatile(this) == DONE;
    }

    /** Ends the request with {@code error} unless it has ended. */
    final void fail(Throwable error) {
        if (STATE.compareAndSet(this, RUNNING, DONE)) {
            slot.release();
            recordEnd(error, slot.time().nanoTime());
            actual.onError(error);
        }
    }

    /** The request's one end, for meters and its observation: {@code error} null is a success. */
    private void recordEnd(Throwable error, long now) {
        slot.recorder().requestEnded(observation, request.opcode(), Math.max(0, now - begun), attemptHsm(), error);
    }

    // ------------------------------------------------------------------ the connection's view

    @Override
    protected final Request request() {
        return request;
    }

    @Override
    protected final boolean isEnded() {
        return (int) STATE.getVolatile(this) != ATTEMPT;
    }

    HsmAddress attemptHsm() {
        HsmNode n = attemptNode;
        return n == null ? null : n.address();
    }

    @Override
    public String toString() {
        Request r = request;
        return "RequestCall[" + (r == null ? "?" : r.opcode()) + " on " + slot.clusterId() + "]";
    }

    // ------------------------------------------------------------------ kinds of calls

    /** A call whose request has no caller's array to copy: built once, shared by every subscription. */
    static final class Fixed<T> extends RequestCall<T> {
        private final Request fixed;

        Fixed(SlotImpl slot, LoginState login, Request request, ResponseMapper<T> mapper) {
            super(slot, login, mapper);
            this.fixed = request;
        }

        @Override
        Request newRequest() {
            return fixed;
        }
    }

    /** A second subscription to a call's Mono: a new call building its request as the first did. */
    private static final class Again<T> extends RequestCall<T> {
        private final RequestCall<T> origin;

        Again(RequestCall<T> origin) {
            super(origin.slot, origin.login, origin.mapper);
            this.origin = origin;
        }

        @Override
        Request newRequest() {
            return origin.newRequest();
        }
    }
}
