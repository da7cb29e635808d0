package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmProtocolException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.HsmTlsException;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.ProtocolViolationException;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One TLS connection to one HSM, carrying many requests at once, matched to their answers by
 * request id.
 *
 * <p>Threading: every field without {@code volatile} belongs to the channel's event loop. A
 * request submitted on the loop itself (typically from the callback of a previous answer) is
 * written at once. Other threads put requests in the connection's inbox, a bounded
 * multi-producer queue that one task per loop pass empties; a full inbox (a burst far above the
 * connection's capacity) falls back to one {@link EventLoop#execute} per request. Writes are not
 * flushed one by one: the first unflushed write schedules one flush after the current event-loop
 * pass (its reads, its tasks and the inbox), so a burst of requests leaves in a few TLS records.
 *
 * <p>Timeouts: a request's deadline is set when it reaches the loop. No timer is armed per
 * request: one sweep per connection, scheduled for the earliest deadline it knows of, ends the
 * requests whose deadline has passed, wherever they are (written, or waiting for a place), and
 * schedules itself for the next earliest deadline. A timeout fires at most
 * {@code SWEEP_SLACK_NANOS} (10 ms) plus the loop's own delay late, never early.
 *
 * <p>Request ids: a table of {@code capacity} places (a power of two); a request id is the place
 * in the low bits and a generation that grows with every reuse of the place in the high bits.
 * A request that ends without its answer (cancelled, timed out) frees its place at once; its
 * answer, if it still comes, no longer matches the id in the table and is dropped and counted.
 * The HSM's own limit of requests in flight ({@code wireOutstanding}) is counted down once per written request: at its
 * answer, or when it ends without one. The HSM may then briefly hold more than its limit (it
 * answers "busy" to the excess, which is retried); the alternative, waiting for answers that a
 * broken HSM may never send, would leak the connection's capacity.
 */
public final class HsmConnection {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HsmConnection.class);

    /** Places held back for the connection's own requests (HELLO, LOGIN, LOGOUT, PING). */
    private static final int CONTROL_RESERVE = 4;
    /** Requests one inbox task takes before it lets the loop do I/O and reschedules itself. */
    private static final int INBOX_BATCH = 1024;
    /**
     * How much later than its deadline a timeout may fire, so that requests with nearby deadlines
     * share one sweep instead of each rescheduling it.
     */
    private static final long SWEEP_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long after the earliest deadline a sweep runs, so that one sweep ends a burst of timeouts. */
    private static final long SWEEP_GRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int HANDSHAKING = 0;
    private static final int READY = 1;
    private static final int CLOSED = 2;

    private final Channel channel;
    private final EventLoop loop;
    private final ConnectionSettings settings;
    private final ConnectorMetrics metrics;
    private final String description;

    private final int mask;
    private final int indexBits;
    private final PendingRequest[] entries;
    private final int[] ids;
    private final int[] free;
    private int freeTop;
    private int wireOutstanding;
    private int maxWire = 1;
    private PendingRequest waitHead;
    private PendingRequest waitTail;
    private boolean flushScheduled;
    private final Runnable flushTask = this::flush;
    private final Queue<PendingRequest> inbox;
    /** True from the moment an inbox task is scheduled until it has found the inbox empty. */
    private final AtomicBoolean inboxScheduled = new AtomicBoolean();
    private final Runnable inboxTask = this::drainInbox;

    private final Runnable sweepTask = this::sweepTimeouts;
    private ScheduledFuture<?> sweep;
    private long sweepAt;
    private boolean sweeping;
    private boolean deadlineDuringSweep;
    private long earliestDeadlineDuringSweep;

    private volatile int state = HANDSHAKING;
    private volatile int loginGeneration;
    private volatile int negotiatedMaxFrameSize;
    private volatile String hsmId = "?";
    private volatile long lateResponses;
    private final AtomicInteger load = new AtomicInteger();
    private boolean loggedIn;
    private final ArrayDeque<LoginJob> loginJobs = new ArrayDeque<>(2);
    private boolean loginBusy;

    private long lastReadNanos;
    private ScheduledFuture<?> keepalive;
    private boolean pingOutstanding;
    private HsmConnectorException closeCause;
    private volatile BiConsumer<HsmConnection, HsmConnectorException> closeListener;

    public HsmConnection(Channel channel, ConnectionSettings settings, ConnectorMetrics metrics) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.settings = settings;
        this.metrics = metrics;
        this.description = settings.address() + " (" + channel.localAddress() + ")";
        int capacity = Integer.highestOneBit(Math.max(2, settings.maxInFlight() + CONTROL_RESERVE - 1)) << 1;
        this.mask = capacity - 1;
        this.indexBits = Integer.numberOfTrailingZeros(capacity);
        this.entries = new PendingRequest[capacity];
        this.ids = new int[capacity];
        this.free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
            ids[i] = i;
        }
        this.freeTop = capacity;
        this.inbox = PlatformDependent.newMpscQueue(Math.max(2 * capacity, 2048));
        this.negotiatedMaxFrameSize = settings.maxFrameSize();
        this.lastReadNanos = System.nanoTime();
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
        return loginGeneration;
    }

    /** Requests started on this connection and not yet ended. */
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

    /** How many request-table places are taken, read on the event loop; for tests. */
    public Mono<Integer> occupiedPlaces() {
        return Mono.create(sink -> runOnLoop(() -> {
            int n = 0;
            for (PendingRequest e : entries) {
                if (e != null) {
                    n++;
                }
            }
            sink.success(n);
        }, () -> sink.success(0)));
    }

    /** Called once, on the event loop, when the connection has closed, with the reason. */
    public void onClose(BiConsumer<HsmConnection, HsmConnectorException> listener) {
        this.closeListener = listener;
    }

    @Override
    public String toString() {
        return description;
    }

    // ------------------------------------------------------------------ handshake and login

    /** Sends HELLO and takes the HSM's limits from its answer. */
    public Mono<HsmConnection> hello() {
        Request hello = new Request.Hello(ProtocolConstants.VERSION, settings.clientName());
        return new ConnectionRequest(this, hello, true, settings.controlTimeoutNanos(), InFlightTracker.NONE)
                .onErrorMap(this::controlError)
                .flatMap(frame -> {
                    if (frame.response() instanceof Response.HelloOk ok) {
                        if (ok.protocolVersion() != ProtocolConstants.VERSION) {
                            return Mono.error(protocolError("HSM speaks protocol version " + ok.protocolVersion()
                                    + ", this client " + ProtocolConstants.VERSION));
                        }
                        if (ok.maxInFlight() < 1 || ok.maxFrameSize() < ProtocolConstants.MIN_MAX_FRAME_SIZE) {
                            return Mono.error(protocolError("HELLO announced maxInFlight " + ok.maxInFlight()
                                    + " and maxFrameSize " + ok.maxFrameSize() + ", which are out of range"));
                        }
                        if (!ok.clusterId().isEmpty() && settings.clusterId().looksLikeAwsClusterId()
                                && !ok.clusterId().equals(settings.clusterId().value())) {
                            // A connection to another cluster's HSM is an error, never a fallback.
                            return Mono.error(new HsmConnectionException("the HSM belongs to cluster " + ok.clusterId()
                                    + ", not to the configured one; check the servers of this cluster in the config",
                                    settings.clusterId(), settings.address()));
                        }
                        applyHello(ok);
                        return Mono.just(this);
                    }
                    return Mono.error(protocolError("HELLO answered with " + describe(frame)));
                });
    }

    private void applyHello(Response.HelloOk ok) {
        // Runs on the loop: the answer was delivered there.
        maxWire = Math.min(ok.maxInFlight(), settings.maxInFlight());
        negotiatedMaxFrameSize = Math.min(ok.maxFrameSize(), settings.maxFrameSize());
        hsmId = ok.hsmId();
        log.debug("{} {}: HELLO done, HSM {} takes {} requests in flight, frames up to {} bytes", settings.clusterId(),
                description, hsmId, maxWire, negotiatedMaxFrameSize);
    }

    /**
     * Brings this connection to a login state: logs the user in (logging out a previous login
     * first), or logs out. States are applied in generation order; a state older than the one
     * applied completes at once. Fails with {@link AuthenticationFailedException} when the HSM
     * rejects the credentials.
     */
    public Mono<Void> applyLogin(LoginState target) {
        return Mono.create(sink -> runOnLoop(() -> {
            loginJobs.add(new LoginJob(target, sink));
            pumpLogin();
        }, () -> sink.error(closedError(false).error())));
    }

    private void pumpLogin() {
        while (!loginBusy) {
            LoginJob job = loginJobs.peek();
            if (job == null) {
                return;
            }
            LoginState t = job.target;
            if (state == CLOSED) {
                loginJobs.poll();
                job.sink.error(closedError(false).error());
                continue;
            }
            if (t.generation() <= loginGeneration) {
                loginJobs.poll();
                job.sink.success();
                continue;
            }
            Request request;
            if (loggedIn) {
                request = new Request.Logout();
            } else if (t.isLoggedIn()) {
                if (++job.loginAttempts > 2) {
                    loginJobs.poll();
                    job.sink.error(protocolError("the HSM keeps reporting a login on this connection"));
                    continue;
                }
                byte[] password = t.passwordCopy();
                if (password == null) {
                    loginJobs.poll();
                    job.sink.error(new HsmConnectionException("the login of user '" + t.username()
                            + "' was withdrawn before it reached this connection", settings.clusterId(), settings.address()));
                    continue;
                }
                request = new Request.Login(t.username(), password);
            } else {
                loginGeneration = t.generation();
                loginJobs.poll();
                job.sink.success();
                continue;
            }
            loginBusy = true;
            new ConnectionRequest(this, request, true, settings.controlTimeoutNanos(), InFlightTracker.NONE)
                    .subscribe(frame -> onLoginAnswer(job, request, frame), error -> onLoginError(job, request, error));
        }
    }

    private void onLoginAnswer(LoginJob job, Request request, ResponseFrame frame) {
        wipe(request);
        loginBusy = false;
        Status status = frame.status();
        if (request instanceof Request.Logout) {
            if (status == Status.OK || status == Status.USER_NOT_LOGGED_IN) {
                loggedIn = false;
            } else {
                loginJobs.poll();
                job.sink.error(new HsmConnectionException("LOGOUT refused: " + describe(frame),
                        settings.clusterId(), settings.address()));
            }
        } else if (status == Status.OK) {
            loggedIn = true;
            loginGeneration = job.target.generation();
            loginJobs.poll();
            job.sink.success();
        } else if (status == Status.USER_ALREADY_LOGGED_IN || status == Status.USER_ANOTHER_ALREADY_LOGGED_IN) {
            // The HSM holds a login we did not know of: log it out and try again.
            loggedIn = true;
        } else {
            loginJobs.poll();
            if (status == Status.PIN_INCORRECT) {
                job.sink.error(new AuthenticationFailedException("the HSM rejected the password of user '"
                        + job.target.username() + "'", settings.clusterId(), settings.address()));
            } else {
                job.sink.error(new HsmConnectionException("LOGIN of user '" + job.target.username() + "' refused: "
                        + describe(frame), settings.clusterId(), settings.address()));
            }
        }
        pumpLogin();
    }

    private void onLoginError(LoginJob job, Request request, Throwable error) {
        if (!loop.inEventLoop()) {
            // Only a loop that refused the request ends it on another thread; the login state
            // belongs to the loop all the same.
            runOnLoop(() -> onLoginError(job, request, error), () -> {
                wipe(request);
                job.sink.error(controlError(error));
            });
            return;
        }
        wipe(request);
        loginBusy = false;
        loginJobs.poll();
        job.sink.error(controlError(error));
        pumpLogin();
    }

    /** The LOGIN's own copy of the password: encoded when it was written, no longer needed once it has ended. */
    private static void wipe(Request request) {
        if (request instanceof Request.Login login) {
            Arrays.fill(login.password(), (byte) 0);
        }
    }

    /** Opens the connection to ordinary requests and starts the keepalive. */
    public void markReady() {
        runOnLoop(() -> {
            if (state == HANDSHAKING) {
                state = READY;
                metrics.opened();
                lastReadNanos = System.nanoTime();
                long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), settings.keepaliveNanos() / 2);
                keepalive = loop.scheduleWithFixedDelay(this::keepaliveCheck, period, period, TimeUnit.NANOSECONDS);
            }
        }, () -> { });
    }

    private void keepaliveCheck() {
        if (state != READY || pingOutstanding || System.nanoTime() - lastReadNanos < settings.keepaliveNanos()) {
            return;
        }
        pingOutstanding = true;
        new ConnectionRequest(this, new Request.Ping(new byte[0]), true, settings.pingTimeoutNanos(), InFlightTracker.NONE)
                .subscribe(frame -> pingOutstanding = false, error -> {
                    pingOutstanding = false;
                    if (error instanceof AttemptFailure f && f.kind() == AttemptFailure.Kind.TIMEOUT) {
                        close(new HsmTimeoutException("keepalive PING not answered within "
                                + Duration.ofNanos(settings.pingTimeoutNanos()) + "; closing the connection",
                                settings.clusterId(), settings.address()));
                    }
                });
    }

    // ------------------------------------------------------------------ request path

    void requestStarted() {
        load.incrementAndGet();
    }

    void requestEnded() {
        load.decrementAndGet();
    }

    /** Hands a request to the event loop (or registers it at once when already on it). */
    void submit(PendingRequest pr) {
        if (loop.inEventLoop()) {
            register(pr);
            return;
        }
        handOver(pr);
    }

    /**
     * From another thread: puts {@code pr} in the inbox, whose task runs it on the loop (it
     * registers a new request, or releases what a cancelled one holds).
     */
    private void handOver(PendingRequest pr) {
        if (!inbox.offer(pr)) {
            try {
                loop.execute(pr);
            } catch (RejectedExecutionException e) {
                if (pr.markDone()) {
                    pr.deliverError(closedError(false));
                }
            }
            return;
        }
        if (inboxScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(inboxTask);
            } catch (RejectedExecutionException e) {
                failInbox();
            }
        }
    }

    /** On the loop: runs what the inbox holds; the writes are flushed once, after this loop pass. */
    private void drainInbox() {
        int budget = INBOX_BATCH;
        for (;;) {
            PendingRequest pr;
            while ((pr = inbox.poll()) != null) {
                try {
                    pr.run();
                } catch (Throwable t) {
                    // The rest of the inbox must not wait for a task that is never scheduled again.
                    drainInboxLater();
                    throw t;
                }
                if (--budget == 0) {
                    // The rest waits for the next pass, after the loop's I/O.
                    drainInboxLater();
                    return;
                }
            }
            inboxScheduled.set(false);
            // A request offered after the last poll but before the flag fell found it set and
            // scheduled nothing: take it now, unless its own producer has just scheduled a task.
            if (inbox.isEmpty() || !inboxScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** On the loop, holding the inbox flag: hands it to a new inbox task. */
    private void drainInboxLater() {
        try {
            loop.execute(inboxTask);
        } catch (RejectedExecutionException e) {
            failInbox();
        }
    }

    /**
     * The loop refused the inbox task: it is shutting down and will never empty the inbox. The
     * caller holds the inbox flag, so it is the inbox's only consumer here.
     */
    private void failInbox() {
        do {
            PendingRequest pr;
            while ((pr = inbox.poll()) != null) {
                if (pr.markDone()) {
                    pr.deliverError(closedError(false));
                }
            }
            inboxScheduled.set(false);
        } while (!inbox.isEmpty() && inboxScheduled.compareAndSet(false, true));
    }

    /** On the loop: arms the request's timeout and writes it, or makes it wait for a free place. */
    void register(PendingRequest pr) {
        if (pr.isDone()) {
            return;
        }
        if (state == CLOSED || (state == HANDSHAKING && !pr.control)) {
            if (pr.markDone()) {
                pr.deliverError(closedError(false));
            }
            return;
        }
        if (FrameSizes.encodedLength(pr.request) > negotiatedMaxFrameSize) {
            if (pr.markDone()) {
                // The caller's input is too large for any HSM of the cluster: fail it, never retry it.
                pr.deliverError(new DataInvalidException("the " + pr.request.opcode() + " request needs "
                        + FrameSizes.encodedLength(pr.request) + " bytes, over the frame limit of "
                        + negotiatedMaxFrameSize + " bytes", settings.clusterId(), settings.address()));
            }
            return;
        }
        if (pr.timeoutNanos > 0) {
            pr.deadline = System.nanoTime() + pr.timeoutNanos;
            armSweep(pr.deadline);
        }
        if (canWrite(pr.control)) {
            write(pr);
        } else {
            enqueue(pr);
        }
    }

    private boolean canWrite(boolean control) {
        if (freeTop == 0) {
            return false;
        }
        return control ? wireOutstanding < maxWire + CONTROL_RESERVE : wireOutstanding < maxWire && freeTop > CONTROL_RESERVE;
    }

    private void write(PendingRequest pr) {
        int index = free[--freeTop];
        int id = (((ids[index] >>> indexBits) + 1) << indexBits) | index;
        if (id == 0) {
            // Id 0 is reserved for the HSM's connection-level PROTOCOL_ERROR; skip a generation.
            id = 1 << indexBits;
        }
        ids[index] = id;
        entries[index] = pr;
        pr.index = index;
        pr.written = true;
        wireOutstanding++;
        dev.multislot.protocol.RequestFrame frame = new dev.multislot.protocol.RequestFrame(id, pr.request);
        if (pr.confirmWrite) {
            channel.write(frame, channel.newPromise().addListener(pr));
        } else {
            channel.write(frame, channel.voidPromise());
        }
        if (!flushScheduled) {
            scheduleFlush();
        }
    }

    /**
     * One flush after the current loop pass: by then the pass has read every answer that came and
     * run the inbox, and the requests they started leave together.
     */
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
        channel.flush();
    }

    private void enqueue(PendingRequest pr) {
        pr.waiting = true;
        pr.prevWaiting = waitTail;
        if (waitTail == null) {
            waitHead = pr;
        } else {
            waitTail.nextWaiting = pr;
        }
        waitTail = pr;
    }

    private void unlink(PendingRequest pr) {
        if (!pr.waiting) {
            return;
        }
        pr.waiting = false;
        PendingRequest prev = pr.prevWaiting;
        PendingRequest next = pr.nextWaiting;
        if (prev == null) {
            waitHead = next;
        } else {
            prev.nextWaiting = next;
        }
        if (next == null) {
            waitTail = prev;
        } else {
            next.prevWaiting = prev;
        }
        pr.prevWaiting = null;
        pr.nextWaiting = null;
    }

    private void drainWaiting() {
        PendingRequest pr = waitHead;
        while (pr != null && state != CLOSED && canWrite(pr.control)) {
            PendingRequest next = pr.nextWaiting;
            unlink(pr);
            if (!pr.isDone()) {
                write(pr);
            }
            pr = next;
        }
    }

    /** After a cancel from any thread: releases the request's place on the loop. */
    void releaseLater(PendingRequest pr) {
        if (loop.inEventLoop()) {
            release(pr);
            return;
        }
        handOver(pr);
    }

    /** On the loop: frees the place of a request that has ended. */
    void release(PendingRequest pr) {
        int index = pr.index;
        if (index >= 0 && entries[index] == pr) {
            entries[index] = null;
            free[freeTop++] = index;
            pr.index = -1;
            wireOutstanding--;
        }
        unlink(pr);
        if (state != CLOSED) {
            drainWaiting();
        }
    }

    /** On the loop: makes sure a sweep runs soon enough after {@code deadline}. */
    private void armSweep(long deadline) {
        if (sweeping) {
            // The running sweep schedules the next one when it is done.
            if (!deadlineDuringSweep || deadline - earliestDeadlineDuringSweep < 0) {
                deadlineDuringSweep = true;
                earliestDeadlineDuringSweep = deadline;
            }
            return;
        }
        if (sweep != null) {
            if (sweepAt - deadline <= SWEEP_SLACK_NANOS) {
                return;
            }
            sweep.cancel(false);
        }
        scheduleSweep(deadline);
    }

    private void scheduleSweep(long deadline) {
        long delay = Math.max(0, deadline - System.nanoTime()) + SWEEP_GRAIN_NANOS;
        sweepAt = deadline + SWEEP_GRAIN_NANOS;
        try {
            sweep = loop.schedule(sweepTask, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            sweep = null; // the loop is shutting down; closing the channel ends every request
        }
    }

    /**
     * On the loop: ends the requests whose deadline has passed and schedules the next sweep. The
     * expired requests are collected first and ended afterwards, since ending one runs its
     * subscriber, which may start, cancel or write other requests of this connection.
     */
    private void sweepTimeouts() {
        sweep = null;
        if (state == CLOSED) {
            return;
        }
        SweepScan scan = new SweepScan(System.nanoTime());
        // Waiting requests first: ending them frees no place, so none of them is written meanwhile.
        for (PendingRequest pr = waitHead; pr != null; pr = pr.nextWaiting) {
            scan.visit(pr);
        }
        for (PendingRequest pr : entries) {
            scan.visit(pr);
        }
        if (scan.expired != null) {
            sweeping = true;
            deadlineDuringSweep = false;
            try {
                for (PendingRequest pr : scan.expired) {
                    onTimeout(pr);
                }
            } finally {
                sweeping = false;
            }
            if (deadlineDuringSweep) {
                scan.offer(earliestDeadlineDuringSweep);
            }
        }
        if (scan.pending && state != CLOSED && sweep == null) {
            scheduleSweep(scan.next);
        }
    }

    /** One pass of the timeout sweep: the requests it ends, and the earliest deadline left. */
    private static final class SweepScan {
        private final long now;
        private boolean pending;
        private long next;
        private List<PendingRequest> expired;

        SweepScan(long now) {
            this.now = now;
        }

        void visit(PendingRequest pr) {
            if (pr == null || pr.timeoutNanos <= 0 || pr.isDone()) {
                return;
            }
            if (pr.deadline - now <= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(pr);
            } else {
                offer(pr.deadline);
            }
        }

        void offer(long deadline) {
            if (!pending || deadline - next < 0) {
                pending = true;
                next = deadline;
            }
        }
    }

    private void onTimeout(PendingRequest pr) {
        if (!pr.markDone()) {
            return;
        }
        boolean sent = pr.mayHaveReachedHsm();
        release(pr);
        pr.deliverError(new AttemptFailure(AttemptFailure.Kind.TIMEOUT, sent, new HsmTimeoutException(
                "no answer to " + pr.request.opcode() + " within " + Duration.ofNanos(pr.timeoutNanos)
                        + (sent ? "" : " (still waiting for a free place on the connection)"),
                settings.clusterId(), settings.address())));
    }

    void onWriteFailed(PendingRequest pr, Throwable cause) {
        if (state == CLOSED || !channel.isActive()) {
            return; // the close path ends the request, knowing it never left
        }
        if (pr.markDone()) {
            release(pr);
            pr.deliverError(new AttemptFailure(AttemptFailure.Kind.CONNECTION, false, new HsmConnectionException(
                    "writing the " + pr.request.opcode() + " request failed: " + cause, settings.clusterId(),
                    settings.address(), cause)));
        }
    }

    /** On the loop: an answer arrived. */
    void onResponse(ResponseFrame frame) {
        lastReadNanos = System.nanoTime();
        int id = frame.requestId();
        if (id == 0 && frame.status() == Status.PROTOCOL_ERROR) {
            close(new HsmProtocolException("the HSM reported a protocol violation and closes the connection: "
                    + describe(frame), settings.clusterId(), settings.address()));
            return;
        }
        int index = id & mask;
        PendingRequest pr = entries[index];
        if (pr == null || ids[index] != id) {
            lateResponses++;
            metrics.lateResponse();
            return;
        }
        wireOutstanding--;
        if (pr.request.opcode() != frame.opcode()) {
            close(new HsmProtocolException("answer with opcode " + frame.opcode() + " to a " + pr.request.opcode()
                    + " request (id " + id + ")", settings.clusterId(), settings.address()));
            return;
        }
        entries[index] = null;
        free[freeTop++] = index;
        pr.index = -1;
        if (pr.markDone()) {
            pr.deliver(frame);
        }
        drainWaiting();
    }

    /** On the loop: the pipeline reported an error. */
    void onException(Throwable cause) {
        close(classify(cause));
    }

    private HsmConnectorException classify(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolViolationException) {
            return new HsmProtocolException("malformed frame from the HSM: " + root.getMessage(),
                    settings.clusterId(), settings.address(), root);
        }
        if (root instanceof SSLException) {
            return new HsmTlsException("TLS failure (did the HSM refuse this client's certificate?): "
                    + root.getMessage() + "; " + settings.tlsDescription(), settings.clusterId(), settings.address(), root);
        }
        if (root instanceof IOException) {
            return new HsmConnectionException("connection lost: " + root.getMessage(), settings.clusterId(),
                    settings.address(), root);
        }
        return new HsmConnectionException("connection failed: " + root, settings.clusterId(), settings.address(), root);
    }

    /** Closes the connection (from any thread); its requests end with {@code cause}. */
    public void close(HsmConnectorException cause) {
        runOnLoop(() -> {
            if (closeCause == null) {
                closeCause = cause;
            }
            channel.close();
        }, () -> channel.close());
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
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        HsmConnectorException cause = closeCause != null ? closeCause
                : new HsmConnectionException("connection closed by the HSM", settings.clusterId(), settings.address());
        closeCause = cause;
        log.debug("{} {}: connection closed ({})", settings.clusterId(), description, cause.getMessage());
        for (int i = 0; i < entries.length; i++) {
            PendingRequest pr = entries[i];
            if (pr != null) {
                entries[i] = null;
                pr.index = -1;
                if (pr.markDone()) {
                    pr.deliverError(new AttemptFailure(AttemptFailure.Kind.CONNECTION, pr.mayHaveReachedHsm(), cause));
                }
            }
        }
        PendingRequest pr = waitHead;
        waitHead = null;
        waitTail = null;
        while (pr != null) {
            PendingRequest next = pr.nextWaiting;
            pr.waiting = false;
            pr.prevWaiting = null;
            pr.nextWaiting = null;
            if (pr.markDone()) {
                pr.deliverError(new AttemptFailure(AttemptFailure.Kind.CONNECTION, false, cause));
            }
            pr = next;
        }
        pumpLogin();
        BiConsumer<HsmConnection, HsmConnectorException> listener = closeListener;
        if (listener != null) {
            listener.accept(this, cause);
        }
    }

    /** The cause this connection was closed with, or null while it is open. */
    public HsmConnectorException closeCause() {
        return state == CLOSED ? closeCause : null;
    }

    // ------------------------------------------------------------------ helpers

    private AttemptFailure closedError(boolean sent) {
        HsmConnectorException cause = closeCause != null ? closeCause
                : new HsmConnectionException("connection is closed", settings.clusterId(), settings.address());
        return new AttemptFailure(AttemptFailure.Kind.CONNECTION, sent, cause);
    }

    private Throwable controlError(Throwable error) {
        if (error instanceof AttemptFailure f) {
            return f.error();
        }
        if (error instanceof FailedStatus s) {
            return protocolError(s.frame().opcode() + " answered with " + describe(s.frame()));
        }
        return error;
    }

    private HsmProtocolException protocolError(String message) {
        return new HsmProtocolException(message, settings.clusterId(), settings.address());
    }

    private static String describe(ResponseFrame frame) {
        if (frame.response() instanceof Response.Error e) {
            return e.status() + " (" + e.message() + ")";
        }
        return frame.status().name();
    }

    private void runOnLoop(Runnable task, Runnable ifRejected) {
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

    private static final class LoginJob {
        final LoginState target;
        final MonoSink<Void> sink;
        int loginAttempts;

        LoginJob(LoginState target, MonoSink<Void> sink) {
            this.target = target;
            this.sink = sink;
        }
    }
}
