package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import reactor.core.publisher.Mono;

/**
 * One TLS connection to one HSM, carrying many requests at once, matched to their answers by
 * request id. It puts its parts together, each with one job: the {@link Inbox} (requests from
 * other threads), the {@link InFlightRequests} (the {@link RequestTable} of ids and generations,
 * the {@link WaitList} of requests over the HSM's limit, the {@link DeadlineSweep}), the
 * {@link WriteCoalescer} (one flush per loop pass), the {@link Handshake}, the
 * {@link LoginSequencer}, the {@link Keepalive} and the {@link CloseClassifier}. A request goes
 * down once (submit, register, table, write, encoder) and its answer comes back once (decoder,
 * handler, table, the request's own callback).
 *
 * <p>Threading: every field without {@code volatile} belongs to the channel's event loop. A
 * request submitted on the loop itself (typically from the callback of a previous answer) is
 * registered at once; one from another event loop waits in that loop's {@link Outbox} until the
 * end of its pass; one from any other thread goes to the inbox directly.
 */
public final class HsmConnection {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HsmConnection.class);

    private static final int HANDSHAKING = 0;
    private static final int READY = 1;
    private static final int CLOSED = 2;

    private final Channel channel;
    private final EventLoop loop;
    private final ConnectionSettings settings;
    private final ConnectorMetrics metrics;
    private final TimeSource time;
    private final String description;
    private final WriteCoalescer writes;
    private final InFlightRequests requests;
    private final Inbox inbox;
    private final LoginSequencer login;
    private final Keepalive keepalive;

    private boolean readClock;
    private long readNanos;
    private HsmConnectorException closeCause;

    private volatile int state = HANDSHAKING;
    private volatile int negotiatedMaxFrameSize;
    private volatile String hsmId = "?";
    private volatile long lateResponses;
    private volatile BiConsumer<HsmConnection, HsmConnectorException> closeListener;
    private volatile Runnable idleListener;
    private final AtomicInteger load = new AtomicInteger();

    public HsmConnection(Channel channel, ConnectionSettings settings, ConnectorMetrics metrics, TimeSource time) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.settings = settings;
        this.metrics = metrics;
        this.time = time;
        this.description = settings.address() + " (" + channel.localAddress() + ")";
        this.writes = new WriteCoalescer(channel, metrics);
        this.requests = new InFlightRequests(this, channel, settings, writes, time);
        this.inbox = new Inbox(loop, Math.max(2 * requests.capacity(), 2048), new Inbox.Receiver() {
            @Override
            public void register(OutboundRequest<?> r) {
                HsmConnection.this.register(r);
            }

            @Override
            public void release(OutboundRequest<?> r) {
                requests.release(r);
            }

            @Override
            public void refuse(OutboundRequest<?> r) {
                if (!r.isEnded()) {
                    r.onFailure(closedError(false));
                }
            }
        });
        this.login = new LoginSequencer(this, settings);
        this.keepalive = new Keepalive(this, settings, time);
        this.negotiatedMaxFrameSize = settings.maxFrameSize();
    }

    /** The handler to put at the end of the channel pipeline, after the frame codec. */
    public ResponseHandler newHandler() {
        return new ResponseHandler(this);
    }

    // ------------------------------------------------------------------ public view

    /** Whether the handshake (and login replay) is done and the connection is open. */
    public boolean isReady() {
        return state == READY;
    }

    public boolean isClosed() {
        return state == CLOSED;
    }

    /** The generation of the last login state applied on this connection. */
    public int loginGeneration() {
        return login.generation();
    }

    /** Requests started on this connection and not yet ended (the connection's own not counted). */
    public int load() {
        return load.get();
    }

    /** The frame limit both ends accept. */
    public int maxFrameSize() {
        return negotiatedMaxFrameSize;
    }

    /** The id the HSM gave in HELLO. */
    public String hsmId() {
        return hsmId;
    }

    /** Answers that came after their request had ended and were dropped. */
    public long lateResponses() {
        return lateResponses;
    }

    /** Requests written and flushed on this connection. */
    public long requestsWritten() {
        return writes.requestsWritten();
    }

    /** Flushes that carried requests; with {@link #requestsWritten()}, requests per flush. */
    public long flushes() {
        return writes.flushes();
    }

    /** The source of time of deadlines and keepalives. */
    public TimeSource time() {
        return time;
    }

    /** How many request-table places are taken, read on the event loop; for tests. */
    public Mono<Integer> occupiedPlaces() {
        return Mono.create(sink -> runOnLoop(() -> sink.success(requests.occupied()), () -> sink.success(0)));
    }

    /** Called once, on the event loop, when the connection has closed, with the reason. */
    public void onClose(BiConsumer<HsmConnection, HsmConnectorException> listener) {
        this.closeListener = listener;
    }

    /** Called (on any thread) each time the load falls to 0; null for none. For draining. */
    public void onIdle(Runnable listener) {
        this.idleListener = listener;
    }

    /** The cause this connection was closed with, or null while it is open. */
    public HsmConnectorException closeCause() {
        return state == CLOSED ? closeCause : null;
    }

    @Override
    public String toString() {
        return description;
    }

    // ------------------------------------------------------------------ handshake, login, readiness

    /** Sends HELLO and takes the HSM's limits from its answer. */
    public Mono<HsmConnection> hello() {
        return Handshake.hello(this, settings);
    }

    /** On the loop: the HSM's limits from its HELLO answer. */
    void applyHello(Response.HelloOk ok) {
        int maxWire = Math.min(ok.maxInFlight(), settings.maxInFlight());
        requests.limit(maxWire);
        negotiatedMaxFrameSize = Math.min(ok.maxFrameSize(), settings.maxFrameSize());
        hsmId = ok.hsmId();
        log.debug("{} {}: HELLO done, HSM {} takes {} requests in flight, frames up to {} bytes", settings.clusterId(),
                description, hsmId, maxWire, negotiatedMaxFrameSize);
    }

    /**
     * Brings this connection to a login state: logs the user in (logging out a previous login
     * first), or logs out. States are applied in generation order; a state older than the one
     * applied completes at once. Fails with {@link dev.multislot.api.errors.AuthenticationFailedException}
     * when the HSM rejects the credentials.
     */
    public Mono<Void> applyLogin(LoginState target) {
        return Mono.create(sink -> runOnLoop(() -> login.apply(target, sink),
                () -> sink.error(closedError(false).error())));
    }

    /** Opens the connection to ordinary requests and starts the keepalive. */
    public void markReady() {
        runOnLoop(() -> {
            if (state == HANDSHAKING) {
                state = READY;
                metrics.opened();
                keepalive.start();
            }
        }, () -> { });
    }

    /**
     * A request that must be answered by this connection's HSM and no other, as a Mono of its
     * answer (the key availability check asks each HSM with GET_KEY); an ordinary request, not one
     * of the connection's own, and not counted in its load.
     */
    public Mono<ResponseFrame> sendHere(Request request, long timeoutNanos) {
        return new ControlRequest(this, request, timeoutNanos, false);
    }

    /** One of the connection's own requests, as a Mono of its answer. */
    Mono<ResponseFrame> control(Request request, long timeoutNanos) {
        return new ControlRequest(this, request, timeoutNanos);
    }

    // ------------------------------------------------------------------ down: submit, register, write

    /** Counts a request that is about to be submitted; before it can end, so that the count never goes below 0. */
    public void requestStarted() {
        load.incrementAndGet();
    }

    /** Counts a request down once, whichever way it ended. */
    public void requestEnded() {
        if (load.decrementAndGet() == 0) {
            Runnable l = idleListener;
            if (l != null) {
                l.run();
            }
        }
    }

    /**
     * From any thread: takes {@code r}, whose {@link OutboundRequest#connection} is this one and
     * whose deadline is set, to the event loop; exactly one of its callbacks will follow, unless it
     * is cancelled first.
     */
    public void submit(OutboundRequest<?> r) {
        if (loop.inEventLoop()) {
            register(r);
        } else if (!Outbox.handOver(inbox, r)) {
            r.nextInChain = null;
            inbox.offer(r);
        }
    }

    /** After a cancel on any thread: frees on the loop what {@code r} holds here. */
    public void releaseLater(OutboundRequest<?> r) {
        if (loop.inEventLoop()) {
            requests.release(r);
        } else {
            inbox.offerRelease(r);
        }
    }

    /** On the loop: writes the request, or makes it wait for room on the wire. */
    private void register(OutboundRequest<?> r) {
        if (r.isEnded()) {
            return;
        }
        r.written = false;
        r.writeFailed = false;
        if (state == CLOSED || (state == HANDSHAKING && !r.isControl())) {
            r.onFailure(closedError(false));
            return;
        }
        long length = FrameSizes.encodedLength(r.request());
        if (length > negotiatedMaxFrameSize) {
            // The caller's input is too large for any HSM of the cluster: fail it, never retry it.
            r.onFailure(new DataInvalidException("the " + r.request().opcode() + " request needs " + length
                    + " bytes, over the frame limit of " + negotiatedMaxFrameSize + " bytes",
                    settings.clusterId(), settings.address()));
            return;
        }
        requests.add(r);
    }

    // ------------------------------------------------------------------ up: answers, errors, close

    /** On the loop: an answer arrived. */
    void onResponse(ResponseFrame frame) {
        keepalive.onRead();
        if (!readClock) {
            // One clock read per read batch: every answer of the batch shares it.
            readClock = true;
            readNanos = time.nanoTime();
        }
        int id = frame.requestId();
        if (id == 0 && frame.status() == Status.PROTOCOL_ERROR) {
            close(new HsmProtocolException("the HSM reported a protocol violation and closes the connection: "
                    + describe(frame), settings.clusterId(), settings.address()));
            return;
        }
        OutboundRequest<?> r = requests.get(id);
        if (r == null) {
            lateResponses++;
            metrics.lateResponse();
            return;
        }
        if (r.request().opcode() != frame.opcode()) {
            close(new HsmProtocolException("answer with opcode " + frame.opcode() + " to a " + r.request().opcode()
                    + " request (id " + id + ")", settings.clusterId(), settings.address()));
            return;
        }
        requests.answered(r);
        if (!r.isEnded()) {
            r.onAnswer(frame, readNanos);
        }
        requests.drain();
    }

    /** On the loop: the read batch is over. */
    void onReadComplete() {
        readClock = false;
    }

    /** On the loop: the pipeline reported an error. */
    void onException(Throwable cause) {
        close(CloseClassifier.classify(cause, settings));
    }

    /** Closes the connection (from any thread); its requests end with {@code cause}. */
    public void close(HsmConnectorException cause) {
        runOnLoop(() -> {
            if (closeCause == null) {
                closeCause = cause;
            }
            channel.close();
        }, channel::close);
    }

    /** On the loop: the channel is closed; every request on it ends. */
    void onInactive() {
        if (state == CLOSED) {
            return;
        }
        boolean wasReady = state == READY;
        state = CLOSED;
        if (wasReady) {
            metrics.closed();
        }
        keepalive.stop();
        HsmConnectorException cause = closeCause != null ? closeCause
                : new HsmConnectionException("connection closed by the HSM", settings.clusterId(), settings.address());
        closeCause = cause;
        log.debug("{} {}: connection closed ({})", settings.clusterId(), description, cause.getMessage());
        requests.closeAll(cause);
        login.pump();
        BiConsumer<HsmConnection, HsmConnectorException> listener = closeListener;
        if (listener != null) {
            listener.accept(this, cause);
        }
    }

    // ------------------------------------------------------------------ helpers for the parts

    AttemptFailure closedError(boolean sent) {
        HsmConnectorException cause = closeCause != null ? closeCause
                : new HsmConnectionException("connection is closed", settings.clusterId(), settings.address());
        return new AttemptFailure(AttemptFailure.Kind.CONNECTION, sent, cause);
    }

    Throwable controlError(Throwable error) {
        if (error instanceof AttemptFailure f) {
            return f.error();
        }
        if (error instanceof FailedStatus s) {
            return protocolError(s.frame().opcode() + " answered with " + describe(s.frame()));
        }
        return error;
    }

    HsmProtocolException protocolError(String message) {
        return new HsmProtocolException(message, settings.clusterId(), settings.address());
    }

    static String describe(ResponseFrame frame) {
        if (frame.response() instanceof Response.Error e) {
            return e.status() + " (" + e.message() + ")";
        }
        return frame.status().name();
    }

    boolean inEventLoop() {
        return loop.inEventLoop();
    }

    void runOnLoop(Runnable task, Runnable ifRejected) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run();
        }
    }
}
