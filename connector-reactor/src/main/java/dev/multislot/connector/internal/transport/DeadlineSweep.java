package dev.multislot.connector.internal.transport;

import dev.multislot.connector.internal.time.TimeSource;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * The timeouts of one connection's requests, without a timer per request: one sweep, scheduled
 * for the earliest deadline the connection holds, ends the requests whose deadline has passed
 * (written or waiting) and schedules itself for the next earliest one. A timeout fires at most
 * {@link #SLACK_NANOS} plus the loop's own delay late, never early. Waits through the connection's
 * {@link TimeSource} and runs on the connection's event loop, to which it is confined.
 */
final class DeadlineSweep {

    /** The requests a sweep looks at, and how one that has timed out ends. */
    interface Target {
        /** Offers every timed request the connection holds to {@code scan}. */
        void visitDeadlines(Scan scan);

        /** Ends {@code r}, whose deadline has passed, unless it has ended or left meanwhile. */
        void expire(OutboundRequest<?> r);

        boolean isOpen();
    }

    /**
     * How much later than its deadline a timeout may fire, so that requests with nearby deadlines
     * share one sweep instead of each rescheduling it.
     */
    static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long after the earliest deadline a sweep runs, so that one sweep ends a burst of timeouts. */
    static final long GRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoop loop;
    private final TimeSource time;
    private final Target target;
    private final Runnable onLoop = this::sweep;
    private final Runnable hop = this::hop;
    private Disposable scheduled;
    private long sweepAt;
    private boolean sweeping;
    private boolean deadlineDuringSweep;
    private long earliestDuringSweep;

    DeadlineSweep(EventLoop loop, TimeSource time, Target target) {
        this.loop = loop;
        this.time = time;
        this.target = target;
    }

    /** On the loop: makes sure a sweep runs soon enough after {@code deadline}. */
    void arm(long deadline) {
        if (sweeping) {
            // The running sweep schedules the next one when it is done.
            if (!deadlineDuringSweep || deadline - earliestDuringSweep < 0) {
                deadlineDuringSweep = true;
                earliestDuringSweep = deadline;
            }
            return;
        }
        if (scheduled != null) {
            if (sweepAt - deadline <= SLACK_NANOS) {
                return;
            }
            scheduled.dispose();
        }
        schedule(deadline);
    }

    /** On the loop: no more sweeps (the connection has closed). */
    void stop() {
        if (scheduled != null) {
            scheduled.dispose();
            scheduled = null;
        }
    }

    /** Whether a sweep is scheduled; for tests. */
    boolean isScheduled() {
        return scheduled != null;
    }

    private void schedule(long deadline) {
        long delay = Math.max(0, deadline - time.nanoTime()) + GRAIN_NANOS;
        sweepAt = deadline + GRAIN_NANOS;
        try {
            scheduled = time.schedule(hop, Duration.ofNanos(delay));
        } catch (RejectedExecutionException e) {
            scheduled = null; // the connector is shutting down; closing the channel ends every request
        }
    }

    private void hop() {
        try {
            loop.execute(onLoop);
        } catch (RejectedExecutionException e) {
            // The loop is gone, and with it the channel and its requests.
        }
    }

    /**
     * On the loop: ends the requests whose deadline has passed and schedules the next sweep. The
     * expired requests are collected first and ended afterwards, since ending one runs its
     * subscriber, which may start, cancel or write other requests of this connection.
     */
    void sweep() {
        scheduled = null;
        if (!target.isOpen()) {
            return;
        }
        Scan scan = new Scan(time.nanoTime());
        target.visitDeadlines(scan);
        if (scan.expired != null) {
            sweeping = true;
            deadlineDuringSweep = false;
            try {
                for (OutboundRequest<?> r : scan.expired) {
                    target.expire(r);
                }
            } finally {
                sweeping = false;
            }
            if (deadlineDuringSweep) {
                scan.offer(earliestDuringSweep);
            }
        }
        if (scan.pending && target.isOpen() && scheduled == null) {
            schedule(scan.next);
        }
    }

    /** One pass of the sweep: the requests it ends, and the earliest deadline left. */
    static final class Scan {
        private final long now;
        private boolean pending;
        private long next;
        private List<OutboundRequest<?>> expired;

        Scan(long now) {
            this.now = now;
        }

        void visit(OutboundRequest<?> r) {
            if (r == null || !r.isTimed() || r.isEnded()) {
                return;
            }
            if (r.deadline - now <= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(r);
            } else {
                offer(r.deadline);
            }
        }

        void offer(long deadline) {
            if (!pending || deadline - next < 0) {
                pending = true;
                next = deadline;
            }
        }
    }
}
