package dev.multislot.connector.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes a connection's requests without flushing each one: the first write of a loop pass
 * schedules one flush after the pass (its reads, its tasks, its inbox), so that what the pass
 * started leaves in as few TLS records as possible. Counts the requests written and the flushes,
 * so that requests per flush can be read. Confined to the connection's event loop, except the
 * counters' reads.
 */
final class WriteCoalescer {

    private final ChannelPipeline pipeline;
    private final EventLoop loop;
    private final ConnectorMetrics metrics;
    private final Runnable flushTask = this::flush;
    private boolean flushScheduled;
    private int unflushed;
    private volatile long written;
    private volatile long flushes;

    WriteCoalescer(Channel channel, ConnectorMetrics metrics) {
        this.pipeline = channel.pipeline();
        this.loop = channel.eventLoop();
        this.metrics = metrics;
    }

    /** Writes {@code msg}; it leaves with the flush at the end of this loop pass. */
    void write(Object msg, ChannelPromise promise) {
        unflushed++;
        // Straight into the pipeline, as Channel.write does (and without the extras a test channel adds).
        pipeline.write(msg, promise);
        if (!flushScheduled) {
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        flushScheduled = true;
        try {
            if (loop instanceof SingleThreadEventLoop l) {
                l.executeAfterEventLoopIteration(flushTask);
            } else {
                loop.execute(flushTask);
            }
        } catch (RejectedExecutionException e) {
            flush();
        }
    }

    private void flush() {
        flushScheduled = false;
        int n = unflushed;
        unflushed = 0;
        if (n > 0) {
            // Single writer: the loop. Volatile so that other threads read whole, recent values.
            written = written + n;
            flushes = flushes + 1;
            metrics.flushed(n);
        }
        pipeline.flush();
    }

    /** Requests written and flushed on this connection. */
    long requestsWritten() {
        return written;
    }

    /** Flushes that carried at least one request. */
    long flushes() {
        return flushes;
    }
}
