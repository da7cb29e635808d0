package dev.multislot.local.internal.proxy;

import dev.multislot.local.faults.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One client connection and its connection to the HSM. Both channels share one event loop, and
 * every method runs on it, so the state below needs no locks; the proxy reaches a connection
 * through {@link #execute(Runnable)}.
 *
 * <p>Memory is bounded: a direction stops reading once {@link #HIGH_WATER} bytes wait to be
 * written (held back by latency or the rate cap, or by a peer that does not read) and reads again
 * below {@link #LOW_WATER}.
 */
public final class ProxiedConnection {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final Channel client;
    private final Channel hsm;
    private final Supplier<FaultSettings> settings;
    private final ProxyCounters counters;
    private final SplittableRandom random;
    private final long[] lastSendAt = new long[2];
    private final long[] rateFreeAt = new long[2];
    private final long[] queued = new long[2];
    private final boolean[] resetOnNextChunk = new boolean[2];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Waiting>[] waiting = new ArrayDeque[] {new ArrayDeque<>(), new ArrayDeque<>()};
    private boolean halfClosed;
    private boolean closed;

    private final Runnable onClosed;

    ProxiedConnection(Channel client, Channel hsm, Supplier<FaultSettings> settings, ProxyCounters counters, long seed,
                      Runnable onClosed) {
        this.onClosed = onClosed;
        this.client = client;
        this.hsm = hsm;
        this.settings = settings;
        this.counters = counters;
        this.random = new SplittableRandom(seed);
    }

    public void execute(Runnable task) {
        client.eventLoop().execute(task);
    }

    /** The next chunk in {@code direction} is cut in half: its first half is forwarded, then both sides get a reset. */
    public void resetOnNextChunk(Direction direction) {
        resetOnNextChunk[direction.ordinal()] = true;
    }

    /** Ends the stream toward the client (a FIN) and drops what the HSM sends after it. */
    public void halfClose() {
        if (!halfClosed && client.isActive() && client instanceof SocketChannel socket) {
            halfClosed = true;
            counters.halfCloses.incrementAndGet();
            socket.shutdownOutput();
        }
    }

    /** Reads again if nothing holds a direction back; called when settings change and as writes drain. */
    public void updateReading() {
        boolean stalled = settings.get().stalled();
        setAutoRead(client, !stalled && !closed && hsm.isWritable() && queued[Direction.TO_HSM.ordinal()] < LOW_WATER);
        setAutoRead(hsm, !stalled && !closed && client.isWritable() && queued[Direction.TO_CLIENT.ordinal()] < LOW_WATER);
    }

    private static void setAutoRead(Channel channel, boolean on) {
        if (channel.config().isAutoRead() != on) {
            channel.config().setAutoRead(on);
        }
    }

    void forward(Direction direction, ByteBuf chunk) {
        int d = direction.ordinal();
        Channel out = direction == Direction.TO_HSM ? hsm : client;
        Channel in = direction == Direction.TO_HSM ? client : hsm;
        if (closed || (halfClosed && direction == Direction.TO_CLIENT)) {
            chunk.release();
            return;
        }
        if (resetOnNextChunk[d] && chunk.readableBytes() >= 2) {
            ByteBuf firstHalf = chunk.retainedSlice(chunk.readerIndex(), chunk.readableBytes() / 2);
            chunk.release();
            counters.forwarded(direction, firstHalf.readableBytes());
            out.writeAndFlush(firstHalf).addListener(f -> reset());
            return;
        }
        if (counters.takeFlip(direction) && chunk.readableBytes() > 0) {
            int at = chunk.readerIndex() + random.nextInt(chunk.readableBytes());
            chunk.setByte(at, ~chunk.getByte(at));
            counters.flips.incrementAndGet();
        }
        FaultSettings s = settings.get();
        int bytes = chunk.readableBytes();
        long now = System.nanoTime();
        long sendAt = now + s.latency().toNanos()
                + (s.jitter().isZero() ? 0 : random.nextLong(s.jitter().toNanos() + 1));
        sendAt = Math.max(sendAt, lastSendAt[d]);
        if (s.bytesPerSecond() > 0) {
            sendAt = Math.max(sendAt, rateFreeAt[d]);
            rateFreeAt[d] = sendAt + bytes * 1_000_000_000L / s.bytesPerSecond();
        }
        lastSendAt[d] = sendAt;
        queued[d] += bytes;
        if (queued[d] >= HIGH_WATER || !out.isWritable()) {
            setAutoRead(in, false);
        }
        // One FIFO per direction, drained in order: scheduling each chunk on its own could let two
        // chunks due at nearly the same instant swap, which TLS would take for tampering.
        boolean wasEmpty = waiting[d].isEmpty();
        waiting[d].addLast(new Waiting(chunk, sendAt, s.oneByteAtATime()));
        if (wasEmpty) {
            drain(direction);
        }
    }

    private record Waiting(ByteBuf chunk, long sendAt, boolean oneByte) {}

    private void drain(Direction direction) {
        int d = direction.ordinal();
        Channel out = direction == Direction.TO_HSM ? hsm : client;
        long now = System.nanoTime();
        Waiting head;
        while ((head = waiting[d].peekFirst()) != null && head.sendAt() <= now) {
            waiting[d].pollFirst();
            write(direction, out, head.chunk(), head.oneByte());
        }
        if (head != null) {
            client.eventLoop().schedule(() -> drain(direction), head.sendAt() - now, TimeUnit.NANOSECONDS);
        }
    }

    private void write(Direction direction, Channel out, ByteBuf chunk, boolean oneByte) {
        int d = direction.ordinal();
        int bytes = chunk.readableBytes();
        if (closed || (halfClosed && direction == Direction.TO_CLIENT)) {
            chunk.release();
            queued[d] -= bytes;
            return;
        }
        ChannelFutureListener written = f -> {
            queued[d] -= bytes;
            counters.forwarded(direction, bytes);
            updateReading();
        };
        if (oneByte && bytes > 1) {
            for (int i = 0; i < bytes - 1; i++) {
                out.writeAndFlush(chunk.retainedSlice(chunk.readerIndex() + i, 1));
            }
            out.writeAndFlush(chunk.retainedSlice(chunk.readerIndex() + bytes - 1, 1)).addListener(written);
            chunk.release();
        } else {
            out.writeAndFlush(chunk).addListener(written);
        }
    }

    /** Both sides get a TCP reset (SO_LINGER 0, then close). */
    void reset() {
        if (closed) {
            return;
        }
        counters.resets.incrementAndGet();
        for (Channel c : new Channel[] {client, hsm}) {
            if (c.isOpen()) {
                c.config().setOption(ChannelOption.SO_LINGER, 0);
            }
        }
        close();
    }

    /** One side closed: the other is closed once what was queued for it has been written. */
    void peerClosed(Channel which) {
        Channel other = which == client ? hsm : client;
        int d = (other == hsm ? Direction.TO_HSM : Direction.TO_CLIENT).ordinal();
        long wait = lastSendAt[d] - System.nanoTime();
        if (wait > 0 && other.isActive()) {
            client.eventLoop().schedule(this::close, wait, TimeUnit.NANOSECONDS);
        } else {
            close();
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            counters.open.decrementAndGet();
            for (ArrayDeque<Waiting> q : waiting) {
                Waiting w;
                while ((w = q.pollFirst()) != null) {
                    w.chunk().release();
                }
            }
            onClosed.run();
        }
        client.close();
        hsm.close();
    }

    boolean isClosed() {
        return closed;
    }
}
