package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.NotLoggedInException;
import dev.multislot.connector.RetryMode;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.metrics.Outcome;
import dev.multislot.connector.internal.metrics.RetryReason;
import dev.multislot.connector.internal.transport.AttemptFailure;
import dev.multislot.connector.internal.transport.ConnectionRequest;
import dev.multislot.connector.internal.transport.FailedStatus;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import dev.multislot.connector.internal.transport.PendingRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

/**
 * One subscription to a session operation: admission, HSM choice, attempts, retries and
 * failover, until the request ends exactly once.
 *
 * <p>{@code state} is the single atomic that decides the end: the answer, the last error, a
 * timeout and the subscriber's cancel race for it, and only the winner releases the slot's
 * pending place and signals. {@code current} holds what is running now (the attempt's
 * {@link PendingRequest}, or the timer of a backoff) so that a cancel can stop it.
 *
 * <p>The call is also the subscriber of its attempts, one at a time, and runs the HSM's circuit
 * breaker itself, as Resilience4j's reactive operator would: a permission before the attempt
 * (none: the HSM is skipped), the outcome and duration after it (an answer is a success, an error
 * is judged by the breaker's own rule, {@link HsmNode#isHsmFailure}), and the permission handed
 * back when the attempt is cancelled before it ends.
 *
 * <p>What is retried, and why:
 * <ul>
 *   <li>an attempt that provably never left this client (no ready connection, a breaker that
 *       refused it, a connection that closed before writing it) moves to another HSM, whatever
 *       the request;</li>
 *   <li>a lost connection or a timed-out attempt moves a request that is safe to repeat (every
 *       read and stateless operation) to another HSM, up to {@code maxAttempts}; a state change
 *       fails with {@link HsmOutcomeUnknownException} instead, since it may have been done;</li>
 *   <li>a "busy" answer means the HSM did nothing: retried after backoff in
 *       {@link RetryMode#STANDARD}, up to {@code maxAttempts}; at once an
 *       {@link HsmThrottledException} in {@link RetryMode#OFF};</li>
 *   <li>every other answer is final.</li>
 * </ul>
 */
final class RequestCall<T> implements Subscription, CoreSubscriber<ResponseFrame> {

    private static final VarHandle STATE;
    private static final VarHandle CURRENT;
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final Object CANCELLED = new Object();

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(RequestCall.class, "state", int.class);
            CURRENT = lookup.findVarHandle(RequestCall.class, "current", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SlotImpl slot;
    private final LoginState login;
    private final Request request;
    private final boolean repeatable;
    private final ResponseMapper<T> mapper;
    private final CoreSubscriber<? super T> actual;
    // Set at subscription, before any signal: the request's time starts then, and a cancel from
    // any thread sees both (final fields).
    private final long begun;
    private final Object observation;
    @SuppressWarnings("unused")
    private volatile int state;
    @SuppressWarnings("unused")
    private volatile Object current;

    // Touched by one thread at a time: each step is triggered by the end of the previous one.
    private SlotOptions options;
    private long deadline;
    private int attempts;
    private int busyRetries;
    private HsmNode[] excluded;
    private int excludedCount;
    private Map<HsmAddress, Throwable> errors;
    private HsmConnectorException lastError;
    private HsmAddress lastHsm;
    // The running attempt: written before it starts, read by its signals and by a cancel that
    // stops it (which sees them through the volatile current).
    private HsmNode attemptNode;
    private long attemptStart;

    RequestCall(SlotImpl slot, LoginState login, Request request, ResponseMapper<T> mapper,
                CoreSubscriber<? super T> actual) {
        this.slot = slot;
        this.login = login;
        this.request = request;
        this.repeatable = !request.opcode().changesState();
        this.mapper = mapper;
        this.actual = actual;
        this.begun = System.nanoTime();
        this.observation = slot.recorder().requestStarted(request.opcode(), actual);
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n) && STATE.compareAndSet(this, NEW, RUNNING)) {
            start();
        }
    }

    @Override
    public void cancel() {
        int s = (int) STATE.getVolatile(this);
        while (s != DONE) {
            if (STATE.compareAndSet(this, s, DONE)) {
                if (s == RUNNING) {
                    slot.release();
                }
                stopCurrent();
                recordEnd(Outcome.CANCELLED_SIGNAL);
                return;
            }
            s = (int) STATE.getVolatile(this);
        }
    }

    private void start() {
        HsmConnectorException refused = slot.admit();
        if (refused != null) {
            // Not counted as pending: end without releasing.
            if (STATE.compareAndSet(this, RUNNING, DONE)) {
                recordEnd(refused);
                actual.onError(refused);
            }
            return;
        }
        options = slot.options();
        deadline = System.nanoTime() + options.requestTimeout().toNanos();
        next();
    }

    /** Chooses an HSM and sends the next attempt; or ends the request when none can take it. */
    private void next() {
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
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                fail(timedOut());
                return;
            }
            int generation = login.generation();
            HsmNode node = slot.pick(generation, excluded, excludedCount);
            if (node == null) {
                fail(slot.unavailable(generation, errors));
                return;
            }
            HsmConnection connection = node.pickConnection(generation);
            if (connection == null) {
                exclude(node, node.unavailableReason(generation, System.nanoTime()));
                continue;
            }
            // A state change is bounded only by the request timeout: cutting it short would leave
            // its outcome unknown, and it cannot move to another HSM anyway.
            long timeout = repeatable ? Math.min(options.attemptTimeout().toNanos(), remaining) : remaining;
            lastHsm = node.address();
            if (!node.breaker().tryAcquirePermission()) {
                node.observeBreaker();
                exclude(node, new HsmConnectionException("circuit breaker refused the request ("
                        + node.breakerState() + ")", slot.clusterId(), node.address()));
                continue;
            }
            attemptNode = node;
            attemptStart = System.nanoTime();
            ConnectionRequest.start(connection, request, false, timeout, node, this);
            return;
        }
    }

    private void onAnswer(HsmNode node, ResponseFrame frame) {
        if (frame.status() != Status.OK) {
            fail(ErrorMapping.toException(frame, slot.clusterId(), node.address()));
            return;
        }
        T value;
        try {
            value = mapper.map(frame.response(), node.address());
        } catch (HsmConnectorException e) {
            fail(e);
            return;
        } catch (RuntimeException e) {
            fail(new dev.multislot.api.errors.HsmProtocolException("unexpected answer to " + frame.opcode() + ": " + e,
                    slot.clusterId(), node.address(), e));
            return;
        }
        complete(value);
    }

    private void onAttemptError(HsmNode node, Throwable error) {
        if (isDone()) {
            return;
        }
        if (error instanceof FailedStatus failed) {
            HsmConnectorException mapped = ErrorMapping.toException(failed.frame(), slot.clusterId(), node.address());
            if (failed.status() != Status.HSM_BUSY) {
                fail(mapped);
                return;
            }
            record(node, mapped);
            attempts++;
            if (options.retryMode() == RetryMode.OFF) {
                fail(mapped);
            } else if (attempts >= options.maxAttempts()) {
                fail(new HsmThrottledException("still busy after " + attempts + " attempts", slot.clusterId(),
                        node.address(), mapped));
            } else {
                retryAfterBackoff();
            }
            return;
        }
        if (error instanceof AttemptFailure failure) {
            HsmConnectorException cause = failure.error();
            record(node, cause);
            if (!failure.mayHaveReachedHsm()) {
                failOver(node, cause);
                return;
            }
            attempts++;
            if (!repeatable) {
                fail(new HsmOutcomeUnknownException("the " + request.opcode() + " request may or may not have been carried out ("
                        + cause.getMessage() + "); it is not repeated: check the key store before trying again",
                        slot.clusterId(), node.address(), cause));
            } else if (deadline - System.nanoTime() <= 0) {
                fail(timedOut());
            } else if (attempts >= options.maxAttempts()) {
                fail(cause);
            } else {
                failOver(node, cause);
            }
            return;
        }
        if (error instanceof HsmConnectorException e) {
            fail(e);
            return;
        }
        fail(new HsmConnectionException("request failed: " + error, slot.clusterId(), node.address(), error));
    }

    /** The attempt on {@code node} failed and the request moves to another HSM. */
    private void failOver(HsmNode node, HsmConnectorException cause) {
        slot.recorder().retried(RetryReason.FAILOVER);
        exclude(node, cause);
        next();
    }

    private void retryAfterBackoff() {
        slot.recorder().retried(RetryReason.BUSY);
        long remaining = deadline - System.nanoTime();
        long delay = Math.min(remaining, ExponentialReconnectionSchedule.jittered(options.retryBackoff().toNanos(),
                options.retryBackoffMax().toNanos(), ++busyRetries - 1));
        Disposable timer;
        try {
            timer = slot.context().timer().schedule(this::next, Math.max(0, delay), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            fail(slot.refusalWhileRunning() != null ? slot.refusalWhileRunning() : lastError);
            return;
        }
        setCurrent(timer);
    }

    private HsmTimeoutException timedOut() {
        String last = lastError == null ? "" : "; last error: " + lastError.getMessage();
        return new HsmTimeoutException("no answer within the request timeout of " + options.requestTimeout()
                + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s") + last + ")", slot.clusterId(), lastHsm, lastError);
    }

    private void record(HsmNode node, HsmConnectorException error) {
        lastError = error;
        lastHsm = node.address();
        if (errors == null) {
            errors = new LinkedHashMap<>(4);
        }
        errors.put(node.address(), error);
    }

    private void exclude(HsmNode node, HsmConnectorException reason) {
        record(node, reason);
        if (excluded == null) {
            excluded = new HsmNode[4];
        } else if (excludedCount == excluded.length) {
            excluded = java.util.Arrays.copyOf(excluded, excludedCount * 2);
        }
        excluded[excludedCount++] = node;
    }

    private boolean isDone() {
        return (int) STATE.getVolatile(this) == DONE;
    }

    private void complete(T value) {
        if (STATE.compareAndSet(this, RUNNING, DONE)) {
            slot.release();
            recordEnd(null);
            actual.onNext(value);
            actual.onComplete();
        }
    }

    private void fail(Throwable error) {
        if (STATE.compareAndSet(this, RUNNING, DONE)) {
            slot.release();
            recordEnd(error);
            actual.onError(error);
        }
    }

    /** The request's one end, for meters and its observation: null is a success. */
    private void recordEnd(Throwable error) {
        slot.recorder().requestEnded(observation, request.opcode(), System.nanoTime() - begun, lastHsm, error);
    }

    /** Makes {@code c} the thing a cancel must stop; stops it at once if the request has ended. */
    private void setCurrent(Object c) {
        Object prev = CURRENT.getVolatile(this);
        if (prev == CANCELLED || !CURRENT.compareAndSet(this, prev, c)) {
            dispose(c);
            return;
        }
        if (isDone() && CURRENT.compareAndSet(this, c, CANCELLED)) {
            dispose(c);
        }
    }

    private void stopCurrent() {
        Object c = CURRENT.getAndSet(this, CANCELLED);
        if (c != null && c != CANCELLED) {
            dispose(c);
        }
    }

    private void dispose(Object c) {
        if (c instanceof PendingRequest attempt) {
            if (attempt.tryCancel()) {
                // The attempt ends without an outcome: its breaker permission goes back unused.
                attemptNode.breaker().releasePermission();
            }
        } else if (c instanceof Subscription s) {
            s.cancel();
        } else if (c instanceof Disposable d) {
            d.dispose();
        }
    }

    static Duration nanos(long n) {
        return Duration.ofNanos(n);
    }

    // ------------------------------------------------------------------ the running attempt's signals

    @Override
    public void onSubscribe(Subscription s) {
        setCurrent(s);
        s.request(1);
    }

    /** The attempt's answer; its connection delivers exactly one signal per attempt. */
    @Override
    public void onNext(ResponseFrame frame) {
        HsmNode node = attemptNode;
        CircuitBreaker breaker = node.breaker();
        long took = System.nanoTime() - attemptStart;
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        node.observeBreaker();
        slot.recorder().attemptEnded(node.address(), took, Outcome.of(frame.status()));
        onAnswer(node, frame);
    }

    @Override
    public void onError(Throwable t) {
        HsmNode node = attemptNode;
        long took = System.nanoTime() - attemptStart;
        // The breaker's predicate decides: HSM and network failures count, anything else is a success.
        node.breaker().onError(took, TimeUnit.NANOSECONDS, t);
        node.observeBreaker();
        slot.recorder().attemptEnded(node.address(), took, Outcome.of(t));
        onAttemptError(node, t);
    }

    @Override
    public void onComplete() {
    }
}
