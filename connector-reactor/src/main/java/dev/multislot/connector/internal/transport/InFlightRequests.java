package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.connector.internal.time.TimeSource;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import java.time.Duration;

/**
 * The requests one connection holds: written (in the {@link RequestTable}, counted against the
 * HSM's limit of requests on the wire) or waiting for room (in the {@link WaitList}), with their
 * {@link DeadlineSweep}. Every way a held request ends goes through here once: its answer, its
 * timeout, a failed write, a cancel, the close. Confined to the connection's event loop.
 *
 * <p>The HSM's limit ({@code wireOutstanding}) is counted down once per written request: at its
 * answer, or when it ends without one. The HSM may then briefly hold more than its limit (it
 * answers "busy" to the excess, which is retried); the alternative, waiting for answers that a
 * broken HSM may never send, would leak the connection's capacity.
 */
final class InFlightRequests implements DeadlineSweep.Target {

    /** Places held back for the connection's own requests (HELLO, LOGIN, LOGOUT, PING). */
    static final int CONTROL_RESERVE = 4;

    private final HsmConnection connection;
    private final Channel channel;
    private final ConnectionSettings settings;
    private final WriteCoalescer writes;
    private final RequestTable table;
    private final WaitList waiting = new WaitList();
    private final DeadlineSweep sweep;
    private int wireOutstanding;
    private int maxWire = 1;
    private boolean closed;

    InFlightRequests(HsmConnection connection, Channel channel, ConnectionSettings settings, WriteCoalescer writes,
                     TimeSource time) {
        this.connection = connection;
        this.channel = channel;
        this.settings = settings;
        this.writes = writes;
        int capacity = Integer.highestOneBit(Math.max(2, settings.maxInFlight() + CONTROL_RESERVE - 1)) << 1;
        this.table = new RequestTable(capacity);
        this.sweep = new DeadlineSweep(channel.eventLoop(), time, this);
    }

    int capacity() {
        return table.capacity();
    }

    /** The HSM's limit of ordinary requests on the wire (this client's own applies when lower). */
    void limit(int maxInFlight) {
        maxWire = maxInFlight;
    }

    int occupied() {
        return table.occupied();
    }

    /** Writes {@code r} now, or keeps it waiting until an answer makes room; its deadline counts from now on. */
    void add(OutboundRequest<?> r) {
        if (r.isTimed()) {
            sweep.arm(r.deadline);
        }
        if (canWrite(r.isControl())) {
            write(r);
        } else {
            waiting.add(r);
        }
    }

    /** The written request {@code id} names, or null (a late or unknown answer). */
    OutboundRequest<?> get(int id) {
        return table.get(id);
    }

    /** Takes {@code r}, whose answer has come, off the table; the caller signals it, then calls {@link #drain()}. */
    void answered(OutboundRequest<?> r) {
        if (table.remove(r)) {
            wireOutstanding--;
        }
    }

    /** Writes waiting requests while there is room. */
    void drain() {
        OutboundRequest<?> r = waiting.head();
        while (r != null && !closed && canWrite(r.isControl())) {
            OutboundRequest<?> next = r.nextWaiting;
            waiting.remove(r);
            if (!r.isEnded()) {
                write(r);
            }
            r = next;
        }
    }

    /** Frees what a cancelled request holds. */
    void release(OutboundRequest<?> r) {
        if (table.remove(r)) {
            wireOutstanding--;
        }
        waiting.remove(r);
        drain();
    }

    /** The connection has closed: every request held ends with {@code cause}, none is taken any more. */
    void closeAll(HsmConnectorException cause) {
        closed = true;
        sweep.stop();
        for (int i = 0, n = table.capacity(); i < n; i++) {
            OutboundRequest<?> r = table.at(i);
            if (r != null) {
                table.remove(r);
                if (!r.isEnded()) {
                    r.onFailure(new AttemptFailure(AttemptFailure.Kind.CONNECTION, r.mayHaveReachedHsm(), cause));
                }
            }
        }
        wireOutstanding = 0;
        OutboundRequest<?> r = waiting.takeAll();
        while (r != null) {
            OutboundRequest<?> next = WaitList.next(r);
            if (!r.isEnded()) {
                r.onFailure(new AttemptFailure(AttemptFailure.Kind.CONNECTION, false, cause));
            }
            r = next;
        }
    }

    private boolean canWrite(boolean control) {
        int free = table.freePlaces();
        if (free == 0) {
            return false;
        }
        return control ? wireOutstanding < maxWire + CONTROL_RESERVE : wireOutstanding < maxWire && free > CONTROL_RESERVE;
    }

    private void write(OutboundRequest<?> r) {
        int id = table.put(r);
        r.written = true;
        wireOutstanding++;
        ChannelPromise promise;
        if (r.request().opcode().changesState()) {
            // A state change counts as "sent" only once its bytes provably left: its write is watched.
            promise = channel.newPromise();
            promise.addListener(f -> {
                if (!f.isSuccess()) {
                    onWriteFailed(r, id, f.cause());
                }
            });
        } else {
            promise = channel.voidPromise();
        }
        writes.write(r, promise);
    }

    private void onWriteFailed(OutboundRequest<?> r, int id, Throwable cause) {
        if (table.get(id) != r) {
            return; // ended meanwhile
        }
        r.writeFailed = true;
        if (closed || !channel.isActive()) {
            return; // the close ends the request, knowing it never left
        }
        table.remove(r);
        wireOutstanding--;
        if (!r.isEnded()) {
            r.onFailure(new AttemptFailure(AttemptFailure.Kind.CONNECTION, false, new HsmConnectionException(
                    "writing the " + r.request().opcode() + " request failed: " + cause, settings.clusterId(),
                    settings.address(), cause)));
        }
        drain();
    }

    // ------------------------------------------------------------------ the sweep's view

    @Override
    public void visitDeadlines(DeadlineSweep.Scan scan) {
        // Waiting requests first: ending them frees no place, so none of them is written meanwhile.
        for (OutboundRequest<?> r = waiting.head(); r != null; r = r.nextWaiting) {
            scan.visit(r);
        }
        for (int i = 0, n = table.capacity(); i < n; i++) {
            scan.visit(table.at(i));
        }
    }

    @Override
    public void expire(OutboundRequest<?> r) {
        // Ending an earlier request of this sweep may have moved this one on, to another connection.
        if (r.connection != connection || r.isEnded()) {
            return;
        }
        boolean sent = r.mayHaveReachedHsm();
        if (table.remove(r)) {
            wireOutstanding--;
        } else if (!waiting.remove(r)) {
            return;
        }
        r.onFailure(new AttemptFailure(AttemptFailure.Kind.TIMEOUT, sent, new HsmTimeoutException(
                "no answer to " + r.request().opcode() + " within " + Duration.ofNanos(r.timeoutNanos)
                        + (sent ? "" : " (still waiting for a free place on the connection)"),
                settings.clusterId(), settings.address())));
        drain();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }
}
