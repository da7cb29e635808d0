package dev.multislot.connector.internal.transport;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How requests from other threads reach a connection's event loop: a bounded multi-producer
 * queue that one task per loop pass empties, so that many hand-overs cost one wake-up of the loop.
 * An element is a chain of requests (linked by {@link OutboundRequest#nextInChain}), the batch one
 * producer's loop pass made for this connection ({@link Outbox}), or a single request. A second
 * queue carries the places to free after a cancel on another thread.
 *
 * <p>A full queue (a burst far above the connection's capacity) falls back to one loop task per
 * chain; a loop that refuses tasks (shutting down) gets the requests refused, so that each one
 * still ends.
 */
final class Inbox {

    /** What the loop does with what the inbox brings. */
    interface Receiver {
        /** On the loop: a new request. */
        void register(OutboundRequest<?> r);

        /** On the loop: a request cancelled on another thread; free what it holds. */
        void release(OutboundRequest<?> r);

        /** The loop is gone: end the request, which never left. Any thread. */
        void refuse(OutboundRequest<?> r);
    }

    /** Requests one drain takes before it lets the loop do I/O and reschedules itself. */
    static final int BATCH = 1024;

    private final EventLoop loop;
    private final Receiver receiver;
    private final Queue<OutboundRequest<?>> chains;
    private final Queue<OutboundRequest<?>> releases;
    /** True from the moment a drain is scheduled until it has found both queues empty. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    Inbox(EventLoop loop, int capacity, Receiver receiver) {
        this.loop = loop;
        this.receiver = receiver;
        this.chains = PlatformDependent.newFixedMpscQueue(capacity);
        this.releases = PlatformDependent.newFixedMpscQueue(capacity);
    }

    /** From any thread: a chain of requests, registered on the loop in chain order. */
    void offer(OutboundRequest<?> head) {
        if (!chains.offer(head)) {
            try {
                loop.execute(() -> registerChain(head));
            } catch (RejectedExecutionException e) {
                refuseChain(head);
            }
            return;
        }
        wake();
    }

    /** From any thread: frees on the loop what a cancelled request holds there. */
    void offerRelease(OutboundRequest<?> r) {
        if (!releases.offer(r)) {
            try {
                loop.execute(() -> receiver.release(r));
            } catch (RejectedExecutionException e) {
                // The loop is gone; closing the channel has freed every place.
            }
            return;
        }
        wake();
    }

    private void wake() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                failAll();
            }
        }
    }

    private void drain() {
        int budget = BATCH;
        for (;;) {
            OutboundRequest<?> r;
            // Releases first: they free places the new requests may take.
            while ((r = releases.poll()) != null) {
                receiver.release(r);
            }
            while (budget > 0 && (r = chains.poll()) != null) {
                budget -= registerChain(r);
            }
            if (budget <= 0) {
                // The rest waits for the next pass, after the loop's I/O; the flag stays ours.
                drainLater();
                return;
            }
            scheduled.set(false);
            // A producer that offered after the last poll but before the flag fell found it set
            // and scheduled nothing: take its element now, unless it has just scheduled a drain.
            if ((chains.isEmpty() && releases.isEmpty()) || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Registers a chain's requests in order; returns how many. */
    private int registerChain(OutboundRequest<?> head) {
        int n = 0;
        OutboundRequest<?> r = head;
        while (r != null) {
            OutboundRequest<?> next = r.nextInChain;
            r.nextInChain = null;
            n++;
            try {
                receiver.register(r);
            } catch (RuntimeException | Error e) {
                // A subscriber threw from its signal: the rest of the chain must not be lost with it.
                if (next != null) {
                    offer(next);
                }
                throw e;
            }
            r = next;
        }
        return n;
    }

    private void refuseChain(OutboundRequest<?> head) {
        OutboundRequest<?> r = head;
        while (r != null) {
            OutboundRequest<?> next = r.nextInChain;
            r.nextInChain = null;
            receiver.refuse(r);
            r = next;
        }
    }

    private void drainLater() {
        try {
            loop.execute(drainTask);
        } catch (RejectedExecutionException e) {
            failAll();
        }
    }

    /** The loop refused the drain: it will never empty the queues. The caller holds the flag. */
    private void failAll() {
        do {
            OutboundRequest<?> r;
            while ((r = chains.poll()) != null) {
                refuseChain(r);
            }
            releases.clear();
            scheduled.set(false);
        } while (!(chains.isEmpty() && releases.isEmpty()) && scheduled.compareAndSet(false, true));
    }
}
