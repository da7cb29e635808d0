package dev.multislot.connector.internal.transport;

import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;

/**
 * An event loop's hand-overs to connections of other loops, held until the end of its current
 * pass and then passed on as one chain per connection. Requests that one pass starts (typically
 * from the answers it read) for a connection on another loop thus reach that loop in one inbox
 * element and one wake-up, and leave in one flush there, instead of each waking the other loop
 * and being flushed on its own. One per event-loop thread, confined to it.
 */
final class Outbox {

    private static final Outbox NONE = new Outbox(null);
    private static final FastThreadLocal<Outbox> CURRENT = new FastThreadLocal<>() {
        @Override
        protected Outbox initialValue() {
            EventExecutor e = ThreadExecutorMap.currentExecutor();
            return e instanceof SingleThreadEventLoop l ? new Outbox(l) : NONE;
        }
    };

    private final SingleThreadEventLoop loop;
    private final Runnable flushTask = this::flush;
    private Inbox[] targets = new Inbox[8];
    private OutboundRequest<?>[] heads = new OutboundRequest<?>[8];
    private OutboundRequest<?>[] tails = new OutboundRequest<?>[8];
    private int size;
    private boolean scheduled;

    private Outbox(SingleThreadEventLoop loop) {
        this.loop = loop;
    }

    /**
     * Hands {@code r} to {@code inbox} at the end of the calling loop's pass; false when the
     * calling thread is no event loop (the caller then offers it at once).
     */
    static boolean handOver(Inbox inbox, OutboundRequest<?> r) {
        Outbox o = CURRENT.get();
        if (o == NONE) {
            return false;
        }
        return o.add(inbox, r);
    }

    private boolean add(Inbox inbox, OutboundRequest<?> r) {
        if (!scheduled) {
            try {
                loop.executeAfterEventLoopIteration(flushTask);
            } catch (RejectedExecutionException e) {
                return false; // this loop is shutting down: no end of pass to wait for
            }
            scheduled = true;
        }
        r.nextInChain = null;
        for (int i = 0; i < size; i++) {
            if (targets[i] == inbox) {
                tails[i].nextInChain = r;
                tails[i] = r;
                return true;
            }
        }
        if (size == targets.length) {
            targets = Arrays.copyOf(targets, size * 2);
            heads = Arrays.copyOf(heads, size * 2);
            tails = Arrays.copyOf(tails, size * 2);
        }
        targets[size] = inbox;
        heads[size] = r;
        tails[size] = r;
        size++;
        return true;
    }

    private void flush() {
        scheduled = false;
        // From the end: a hand-over made while one is passed on (a refused request moving to another
        // HSM) is appended and passed on by this same loop.
        while (size > 0) {
            int i = --size;
            Inbox inbox = targets[i];
            OutboundRequest<?> head = heads[i];
            targets[i] = null;
            heads[i] = null;
            tails[i] = null;
            inbox.offer(head);
        }
    }
}
