package dev.multislot.bench.internal;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection of the floor client: the least a pipelining client does on the wire. A request
 * ({@link FloorCall}) takes a free id from a fixed table (an id is reused as soon as its answer
 * arrives), its frame is built once per id and reused, and writes leave in one flush per
 * event-loop pass: a request submitted on the connection's loop is written at once and flushed
 * after the pass; one submitted from another thread goes through a bounded inbox that one task
 * per pass empties. This is the shape of the connector's own path, without its timeouts,
 * balancing, retries and breakers.
 *
 * <p>It counts requests written and flushes (for requests per flush); the table and the counts
 * are touched on the event loop only, and published once per flush.
 */
final class FloorConnection extends ChannelInboundHandlerAdapter {

    /** The id of setup calls (HELLO, LOGIN, GENERATE_KEY), outside the table's id range. */
    private static final int CALL_ID = 0x7fff_0000;

    private final String name;
    private final FloorCall[] pending;
    private final int[] freeIds;
    private final Queue<FloorCall> inbox;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Runnable flushTask = this::flush;
    private int freeCount;
    private RequestFrame[] frames;
    private boolean flushScheduled;
    private long writes;
    private long flushes;
    private volatile long publishedWrites;
    private volatile long publishedFlushes;
    private Channel channel;
    private EventLoop loop;

    private volatile CompletableFuture<Response> call;

    /** @param capacity requests this connection may have in flight at once */
    FloorConnection(String name, int capacity) {
        this.name = name;
        this.pending = new FloorCall[capacity];
        this.freeIds = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeIds[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.frames = new RequestFrame[capacity];
        this.inbox = PlatformDependent.newFixedMpscQueue(Math.max(capacity, 2));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = channel.eventLoop();
    }

    /** One request and its answer, outside the table (setup). Blocks the calling thread. */
    Response call(Request request, Duration timeout) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        call = f;
        channel.writeAndFlush(new RequestFrame(CALL_ID, request)).addListener(w -> {
            if (!w.isSuccess()) {
                f.completeExceptionally(w.cause());
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": " + request.opcode() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": no answer to " + request.opcode() + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            call = null;
        }
    }

    /** Sends {@code c}'s request: at once on the loop, else through the inbox. */
    void submit(FloorCall c) {
        if (loop.inEventLoop()) {
            write(c);
        } else if (!inbox.offer(c)) {
            c.fail(new IllegalStateException(name + ": more requests submitted than the " + pending.length
                    + " this connection may have in flight"));
        } else if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    /** Requests written so far (as of the last flush). */
    long writes() {
        return publishedWrites;
    }

    /** Flushes so far. */
    long flushes() {
        return publishedFlushes;
    }

    private void drain() {
        drainScheduled.set(false);
        FloorCall c;
        while ((c = inbox.poll()) != null) {
            write(c);
        }
    }

    private void write(FloorCall c) {
        if (!channel.isActive()) {
            c.fail(new ClosedChannelException());
            return;
        }
        if (freeCount == 0) {
            c.fail(new IllegalStateException(name + ": all " + pending.length + " request ids in use"));
            return;
        }
        int id = freeIds[--freeCount];
        pending[id] = c;
        RequestFrame frame = frames[id];
        if (frame == null || frame.request() != c.request()) {
            // Built once per id and request (each op's request is one instance per trial), so a
            // send allocates nothing here.
            frame = new RequestFrame(id, c.request());
            frames[id] = frame;
        }
        channel.write(frame, channel.voidPromise());
        writes++;
        if (!flushScheduled) {
            flushScheduled = true;
            if (loop instanceof SingleThreadEventLoop l) {
                l.executeAfterEventLoopIteration(flushTask);
            } else {
                loop.execute(flushTask);
            }
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
        flushes++;
        publishedWrites = writes;
        publishedFlushes = flushes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ResponseFrame f)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int id = f.requestId();
        CompletableFuture<Response> setup = call;
        if (id == CALL_ID && setup != null) {
            setup.complete(f.response());
            return;
        }
        FloorCall c = id >= 0 && id < pending.length ? pending[id] : null;
        if (c == null) {
            exceptionCaught(ctx, new IllegalStateException(name + ": answer with unknown request id " + id));
            return;
        }
        pending[id] = null;
        freeIds[freeCount++] = id;
        c.answer(f.response());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new IllegalStateException(name + ": connection closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(cause);
        ctx.close();
    }

    private void failAll(Throwable error) {
        CompletableFuture<Response> setup = call;
        if (setup != null) {
            setup.completeExceptionally(error);
        }
        for (int id = 0; id < pending.length; id++) {
            FloorCall c = pending[id];
            if (c != null) {
                pending[id] = null;
                freeIds[freeCount++] = id;
                c.fail(error);
            }
        }
        FloorCall c;
        while ((c = inbox.poll()) != null) {
            c.fail(error);
        }
    }
}
