package dev.multislot.local.internal.server;

import dev.multislot.local.internal.token.TokenException;
import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.ProtocolViolationException;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.multislot.local.ConnectionLimits;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's protocol state machine. Every field without a concurrent type is touched on
 * the connection's event loop only.
 *
 * <p>HELLO, PING, LOGIN and LOGOUT are answered on the event loop; key and crypto requests go to
 * the cluster's worker pool and their answers come back, in whatever order they finish, through
 * a lock-free queue that the event loop drains in one pass with one flush. Answers written while
 * reading are flushed once per read batch.
 */
final class HsmConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HsmConnectionHandler.class);
    /** Request id of a PROTOCOL_ERROR that answers no particular request (a malformed frame). */
    static final int CONNECTION_LEVEL_ID = 0;

    private final ClusterRuntime cluster;
    private final String hsmId;
    private final FaultState faults;
    private final HsmCounters counters;
    private final OperationGate gate;

    private static final ThrottledLog TIMEOUTS = new ThrottledLog(log);

    private final ConnectionLimits limits;
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    /** Requests read while this connection's answers were not being read: started when they are again. */
    private final ArrayDeque<RequestFrame> held = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drainFinished;

    private ChannelHandlerContext ctx;
    private boolean helloDone;
    private String user;
    private int inFlight;
    private boolean needsFlush;
    private boolean closing;
    private boolean everLoggedIn;
    /** Estimated bytes of the answers of requests started and not yet written. */
    private long pendingAnswerBytes;
    private ScheduledFuture<?> loginDeadline;

    /** An answer computed on a worker, and what its request was charged to the budget. */
    private record Finished(ResponseFrame frame, int charged) {
    }

    HsmConnectionHandler(ClusterRuntime cluster, String hsmId, FaultState faults, HsmCounters counters,
            OperationGate gate, ConnectionLimits limits) {
        this.limits = limits;
        this.cluster = cluster;
        this.hsmId = hsmId;
        this.faults = faults;
        this.counters = counters;
        this.gate = gate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // From accept: a client that never finishes TLS, never says HELLO or never logs in is closed too.
        loginDeadline = ctx.executor().schedule(this::loginTimedOut, limits.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void loginTimedOut() {
        if (!everLoggedIn && ctx.channel().isActive()) {
            counters.connectionTimedOut();
            TIMEOUTS.warn("HSM {} closed a connection from {} that did not log in within {}", hsmId,
                    ctx.channel().remoteAddress(), limits.loginTimeout());
            closing = true;
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (inFlight == 0 && held.isEmpty() && ctx.channel().isActive()) {
                counters.connectionTimedOut();
                TIMEOUTS.warn("HSM {} closed a connection from {} idle for {}", hsmId, ctx.channel().remoteAddress(),
                        limits.idleTimeout());
                closing = true;
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RequestFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing || faults.stall()) {
            return; // a stalled HSM reads everything and answers nothing
        }
        Request r = frame.request();
        if (!helloDone) {
            hello(frame);
        } else if (r instanceof Request.Hello) {
            protocolError(frame.requestId(), Opcode.HELLO, "HELLO was already exchanged on this connection");
        } else if (r instanceof Request.Ping p) {
            send(new ResponseFrame(frame.requestId(), Opcode.PING, new Response.Bytes(p.payload())));
        } else if (r instanceof Request.Login l) {
            login(frame.requestId(), l);
        } else if (r instanceof Request.Logout) {
            logout(frame.requestId());
        } else {
            dispatch(frame);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Reading stops while the peer does not read our answers (see send and hold); it resumes here.
        resumeHeld();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        finished.clear();
        held.clear();
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ProtocolViolationException pve) {
            protocolError(CONNECTION_LEVEL_ID, Opcode.HELLO, pve.getMessage());
            return;
        }
        if (isNetworkNoise(cause)) {
            log.debug("connection to {} from {} failed: {}", hsmId, ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("closing a connection to {} after an unexpected error", hsmId, cause);
        }
        closing = true;
        ctx.close();
    }

    private static boolean isNetworkNoise(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return c instanceof SSLException || c instanceof IOException;
    }

    // ------------------------------------------------------------------ connection-level requests

    private void hello(RequestFrame frame) {
        if (!(frame.request() instanceof Request.Hello h)) {
            protocolError(frame.requestId(), frame.request().opcode(),
                    "the first request must be HELLO, got " + frame.request().opcode());
            return;
        }
        if (h.protocolVersion() != ProtocolConstants.VERSION) {
            send(new ResponseFrame(frame.requestId(), Opcode.HELLO, new Response.Error(Status.VERSION_UNSUPPORTED,
                    "protocol version " + h.protocolVersion() + " is not supported; this HSM speaks version "
                            + ProtocolConstants.VERSION)));
            closeAfterFlush();
            return;
        }
        helloDone = true;
        send(new ResponseFrame(frame.requestId(), Opcode.HELLO, new Response.HelloOk(ProtocolConstants.VERSION, hsmId,
                cluster.clusterId(), cluster.maxInFlightPerConnection(), cluster.maxFrameSize())));
    }

    private void login(int requestId, Request.Login l) {
        byte[] password = l.password();
        Response answer;
        try {
            if (!cluster.users().check(l.username(), password)) {
                answer = new Response.Error(Status.PIN_INCORRECT, "wrong user name or password");
            } else if (user == null || user.equals(l.username())) {
                user = l.username();
                everLoggedIn = true;
                loginDeadline.cancel(false);
                answer = new Response.Done();
            } else {
                answer = new Response.Error(Status.USER_ANOTHER_ALREADY_LOGGED_IN,
                        "user " + user + " is logged in on this connection; log out first");
            }
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        send(new ResponseFrame(requestId, Opcode.LOGIN, answer));
    }

    private void logout(int requestId) {
        Response answer;
        if (user == null) {
            answer = new Response.Error(Status.USER_NOT_LOGGED_IN, "no user is logged in on this connection");
        } else {
            user = null;
            answer = new Response.Done();
        }
        send(new ResponseFrame(requestId, Opcode.LOGOUT, answer));
    }

    // ------------------------------------------------------------------ crypto requests

    private void dispatch(RequestFrame frame) {
        Opcode op = frame.request().opcode();
        if (user == null) {
            send(new ResponseFrame(frame.requestId(), op,
                    new Response.Error(Status.USER_NOT_LOGGED_IN, op + " needs a logged-in crypto user")));
            return;
        }
        if (faults.busy()) {
            busy(frame, "the HSM is busy");
            return;
        }
        if (inFlight + held.size() >= cluster.maxInFlightPerConnection()) {
            busy(frame, "more than " + cluster.maxInFlightPerConnection() + " requests in flight on this connection");
            return;
        }
        if (!held.isEmpty() || !admissible(AnswerSizes.estimate(frame.request()))) {
            hold(frame);
            return;
        }
        start(frame);
    }

    /**
     * Whether a request whose answer is about {@code charge} bytes may start now: the peer reads what
     * we write, and the answers started and not yet written stay within the budget (one request may
     * always run alone, whatever its size).
     */
    private boolean admissible(int charge) {
        return ctx.channel().isWritable() && (inFlight == 0 || pendingAnswerBytes + charge <= limits.maxPendingAnswerBytes());
    }

    /** Keeps a request for later and stops reading: nothing more is read until the answers drain. */
    private void hold(RequestFrame frame) {
        held.add(frame);
        counters.heldBack();
        ctx.channel().config().setAutoRead(false);
    }

    /** Starts the held requests the budget admits; reads again once none is left and the peer reads. */
    private void resumeHeld() {
        while (!held.isEmpty() && !closing && admissible(AnswerSizes.estimate(held.peek().request()))) {
            RequestFrame next = held.poll();
            if (user == null) {
                send(new ResponseFrame(next.requestId(), next.request().opcode(), new Response.Error(Status.USER_NOT_LOGGED_IN,
                        next.request().opcode() + " needs a logged-in crypto user")));
            } else {
                start(next);
            }
        }
        if (held.isEmpty() && !closing && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void start(RequestFrame frame) {
        if (!gate.tryAcquire()) {
            busy(frame, "the HSM is at its limit of concurrent operations");
            return;
        }
        int charge = AnswerSizes.estimate(frame.request());
        inFlight++;
        pendingAnswerBytes += charge;
        try {
            cluster.workers().schedule(() -> execute(frame, charge));
        } catch (RejectedExecutionException e) {
            inFlight--;
            pendingAnswerBytes -= charge;
            gate.release();
            busy(frame, "the HSM's work queue is full");
        }
    }

    private void busy(RequestFrame frame, String why) {
        counters.busy();
        send(new ResponseFrame(frame.requestId(), frame.request().opcode(), new Response.Error(Status.HSM_BUSY, why)));
    }

    /** Runs on a worker thread. */
    private void execute(RequestFrame frame, int charge) {
        Response answer;
        try {
            Request request = frame.request();
            java.util.OptionalLong handle = KeyReplication.handleOf(request);
            if (handle.isPresent() && !cluster.replication().holds(hsmId, handle.getAsLong())) {
                answer = new Response.Error(Status.KEY_HANDLE_INVALID, "no key with handle " + handle.getAsLong()
                        + " on this HSM (not replicated here yet)");
            } else {
                answer = cluster.replication().seenBy(hsmId, request, cluster.token().execute(request));
            }
        } catch (TokenException e) {
            answer = new Response.Error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("HSM {} failed on a {} request", hsmId, frame.request().opcode(), e);
            answer = new Response.Error(Status.GENERAL_ERROR, "internal error in the HSM");
        } finally {
            gate.release();
        }
        finished.add(new Finished(new ResponseFrame(frame.requestId(), frame.request().opcode(), answer), charge));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                ctx.channel().eventLoop().execute(drain);
            } catch (RejectedExecutionException e) {
                // The event loop is shutting down with the process: nobody is left to answer.
                log.debug("dropping an answer on {}: its event loop is shutting down", hsmId);
            }
        }
    }

    /** Runs on the event loop: writes every finished answer, then flushes once. */
    private void drainFinished() {
        drainScheduled.set(false);
        Finished f;
        while ((f = finished.poll()) != null) {
            inFlight--;
            pendingAnswerBytes -= f.charged();
            if (!closing && !faults.stall()) {
                send(f.frame());
            }
        }
        flushIfNeeded();
        resumeHeld();
    }

    // ------------------------------------------------------------------ outbound

    private void send(ResponseFrame frame) {
        if (!ctx.channel().isActive()) {
            return;
        }
        counters.served();
        if (faults.takeCorruptNext()) {
            ctx.write(garbage());
        } else {
            ctx.write(frame).addListener(f -> {
                if (!f.isSuccess() && ctx.channel().isActive()) {
                    // Only the encoder refuses a frame (too large) and it leaves the connection
                    // usable: tell the client instead of leaving its request hanging.
                    log.debug("cannot send a {} answer on {}: {}", frame.opcode(), hsmId, f.cause().toString());
                    ctx.writeAndFlush(new ResponseFrame(frame.requestId(), frame.opcode(),
                            new Response.Error(Status.GENERAL_ERROR, "the answer could not be encoded")));
                }
            });
        }
        needsFlush = true;
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** A frame no client can decode: a valid length, then a header of an unknown kind. */
    private ByteBuf garbage() {
        ByteBuf b = ctx.alloc().buffer(4 + ProtocolConstants.HEADER_SIZE);
        b.writeInt(ProtocolConstants.HEADER_SIZE);
        for (int i = 0; i < ProtocolConstants.HEADER_SIZE; i++) {
            b.writeByte(0xEE);
        }
        return b;
    }

    private void flushIfNeeded() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    private void protocolError(int requestId, Opcode opcode, String message) {
        if (closing) {
            return;
        }
        counters.protocolError();
        log.debug("protocol error on a connection to {} from {}: {}", hsmId, ctx.channel().remoteAddress(), message);
        send(new ResponseFrame(requestId, opcode, new Response.Error(Status.PROTOCOL_ERROR, message)));
        closeAfterFlush();
    }

    private void closeAfterFlush() {
        closing = true;
        ctx.channel().config().setAutoRead(false);
        needsFlush = false;
        ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }
}
