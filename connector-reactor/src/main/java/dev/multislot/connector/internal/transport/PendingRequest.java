package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/**
 * One request on one connection, from subscription to its end.
 *
 * <p>Its {@code state} is the single atomic that makes every ending exactly-once: an answer, a
 * timeout, a cancel, a failed write and a closed connection all race to move it to {@code DONE},
 * and only the winner counts the request down and signals the subscriber. Everything else here is
 * confined to the connection's event loop.
 *
 * <p>It is also the {@link Runnable} the connection's event loop runs to register it (and, after a
 * cancel from another thread, to release its request id), and the listener of its write when the
 * write must be confirmed, so that an ordinary request allocates no helper objects.
 */
public final class PendingRequest implements Subscription, Runnable, ChannelFutureListener {

    private static final VarHandle STATE;
    private static final int NEW = 0;
    private static final int SUBMITTED = 1;
    private static final int DONE = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PendingRequest.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final HsmConnection connection;
    final Request request;
    final boolean control;
    final boolean confirmWrite;
    final long timeoutNanos;
    private final CoreSubscriber<? super ResponseFrame> actual;
    private final InFlightTracker tracker;
    @SuppressWarnings("unused")
    private volatile int state;

    // Confined to the connection's event loop.
    int index = -1;
    boolean written;
    boolean writeFailed;
    /** When the request times out, by {@link System#nanoTime()}; set when it reaches the loop. */
    long deadline;
    boolean waiting;
    PendingRequest prevWaiting;
    PendingRequest nextWaiting;

    PendingRequest(HsmConnection connection, Request request, boolean control, long timeoutNanos,
                   CoreSubscriber<? super ResponseFrame> actual, InFlightTracker tracker) {
        this.connection = connection;
        this.request = request;
        this.control = control;
        // A state change must only count as "sent" once its bytes provably left; others need no confirmation.
        this.confirmWrite = request.opcode().changesState();
        this.timeoutNanos = timeoutNanos;
        this.actual = actual;
        this.tracker = tracker;
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n) && STATE.compareAndSet(this, NEW, SUBMITTED)) {
            connection.submit(this);
        }
    }

    @Override
    public void cancel() {
        tryCancel();
    }

    /**
     * Cancels the request unless it has already ended; true when this call ended it, so that no
     * signal will ever come.
     */
    public boolean tryCancel() {
        int s = (int) STATE.getVolatile(this);
        while (s != DONE) {
            if (STATE.compareAndSet(this, s, DONE)) {
                ended();
                if (s == SUBMITTED) {
                    connection.releaseLater(this);
                }
                return true;
            }
            s = (int) STATE.getVolatile(this);
        }
        return false;
    }

    /** Runs on the event loop: registers the request, or releases what a cancelled one holds. */
    @Override
    public void run() {
        if (isDone()) {
            connection.release(this);
        } else {
            connection.register(this);
        }
    }

    /** The write's outcome, for requests whose write must be confirmed. Runs on the event loop. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (!future.isSuccess()) {
            writeFailed = true;
            connection.onWriteFailed(this, future.cause());
        }
    }

    boolean isDone() {
        return (int) STATE.getVolatile(this) == DONE;
    }

    /** Wins the race to end this request; the winner must then signal the subscriber. */
    boolean markDone() {
        int s = (int) STATE.getVolatile(this);
        while (s != DONE) {
            if (STATE.compareAndSet(this, s, DONE)) {
                ended();
                return true;
            }
            s = (int) STATE.getVolatile(this);
        }
        return false;
    }

    private void ended() {
        connection.requestEnded();
        tracker.ended();
    }

    /** Whether the request may have reached the HSM: written, and its write not known to have failed. */
    boolean mayHaveReachedHsm() {
        return written && !writeFailed;
    }

    void deliver(ResponseFrame frame) {
        if (FailedStatus.isHsmFault(frame.status())) {
            actual.onError(new FailedStatus(frame));
        } else {
            actual.onNext(frame);
            actual.onComplete();
        }
    }

    void deliverError(Throwable error) {
        actual.onError(error);
    }

    @Override
    public String toString() {
        return "PendingRequest[" + request.opcode() + " on " + connection + "]";
    }
}
