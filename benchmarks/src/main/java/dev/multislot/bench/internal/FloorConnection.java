package dev.multislot.bench.internal;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection of the floor client: the least a client can do on the wire. A batch keeps
 * {@code window} requests in flight with request ids {@code 0..window-1} (an id is reused as
 * soon as its answer arrives), writes the next request from the read handler and flushes once
 * per read batch. No timeouts, no balancing, no retries, no breakers.
 *
 * <p>Batch state is touched on the channel's event loop only.
 */
final class FloorConnection extends ChannelInboundHandlerAdapter {

    /** The id of setup calls (HELLO, LOGIN, GENERATE_KEY), outside any batch's id range. */
    private static final int CALL_ID = 0x7fff_0000;

    private final LatencyRecorder latency;
    private final String name;
    private Channel channel;

    private volatile CompletableFuture<Response> call;

    private FloorBatch batch;
    private RequestFrame[] frames;
    private long[] sentAt;
    private int quota;
    private int sent;
    private int done;
    private boolean needsFlush;

    FloorConnection(String name, LatencyRecorder latency) {
        this.name = name;
        this.latency = latency;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** One request and its answer, outside batches (setup). Blocks the calling thread. */
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

    /** Starts this connection's part of a batch; returns at once. */
    void start(FloorBatch batch, Request request, int window, int quota) {
        channel.eventLoop().execute(() -> begin(batch, request, window, quota));
    }

    private void begin(FloorBatch b, Request request, int window, int q) {
        if (frames == null || frames.length != window || frames[0].request() != request) {
            // Frames are immutable: one per id, built once per shape of batch, so a send allocates nothing here.
            frames = new RequestFrame[window];
            for (int i = 0; i < window; i++) {
                frames[i] = new RequestFrame(i, request);
            }
            sentAt = new long[window];
        }
        batch = b;
        quota = q;
        sent = 0;
        done = 0;
        if (!channel.isActive()) {
            finish(new ClosedChannelException());
            return;
        }
        int first = Math.min(window, q);
        for (int id = 0; id < first; id++) {
            send(id);
        }
        channel.flush();
    }

    private void send(int id) {
        sentAt[id] = System.nanoTime();
        sent++;
        channel.write(frames[id], channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ResponseFrame f)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long now = System.nanoTime();
        CompletableFuture<Response> c = call;
        if (f.requestId() == CALL_ID && c != null) {
            c.complete(f.response());
            return;
        }
        FloorBatch b = batch;
        if (b == null) {
            return;
        }
        int id = f.requestId();
        if (id < 0 || id >= sentAt.length) {
            finish(new IllegalStateException(name + ": answer with unknown request id " + id));
            return;
        }
        if (f.response() instanceof Response.Error e) {
            finish(new IllegalStateException(name + ": " + f.opcode() + " failed: " + e.status() + " " + e.message()));
            return;
        }
        latency.record(now - sentAt[id]);
        done++;
        if (sent < quota) {
            send(id);
            needsFlush = true;
        } else if (done == quota) {
            finish(null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        CompletableFuture<Response> c = call;
        if (c != null) {
            c.completeExceptionally(new ClosedChannelException());
        }
        finish(new IllegalStateException(name + ": connection closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        CompletableFuture<Response> c = call;
        if (c != null) {
            c.completeExceptionally(cause);
        }
        finish(cause);
        ctx.close();
    }

    private void finish(Throwable error) {
        FloorBatch b = batch;
        if (b != null) {
            batch = null;
            b.connectionDone(error);
        }
    }
}
