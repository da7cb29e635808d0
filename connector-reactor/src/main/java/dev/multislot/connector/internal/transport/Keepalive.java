package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.connector.internal.time.TimeSource;
import dev.multislot.protocol.Request;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * Notices a silent connection: every half keepalive interval it looks whether anything was read
 * since it last looked; after a whole interval of silence it sends a PING, and a PING unanswered
 * within the ping timeout closes the connection. Reads cost a field write, not a clock read.
 * Confined to the connection's event loop.
 */
final class Keepalive {

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final HsmConnection connection;
    private final ConnectionSettings settings;
    private final TimeSource time;
    private final Duration period;
    private final Runnable check = this::check;
    private final Runnable hop = this::hop;
    private Disposable next;
    private boolean readSinceCheck;
    private int silentChecks;
    private boolean pingOutstanding;
    private boolean stopped;

    Keepalive(HsmConnection connection, ConnectionSettings settings, TimeSource time) {
        this.connection = connection;
        this.settings = settings;
        this.time = time;
        this.period = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(5), settings.keepaliveNanos() / 2));
    }

    /** On the loop, once the connection is ready. */
    void start() {
        readSinceCheck = true;
        scheduleNext();
    }

    /** On the loop: something was read. */
    void onRead() {
        readSinceCheck = true;
    }

    /** On the loop: the connection has closed. */
    void stop() {
        stopped = true;
        if (next != null) {
            next.dispose();
            next = null;
        }
    }

    private void scheduleNext() {
        try {
            next = time.schedule(hop, period);
        } catch (RejectedExecutionException e) {
            next = null; // the connector is shutting down
        }
    }

    private void hop() {
        connection.runOnLoop(check, () -> { });
    }

    private void check() {
        if (stopped) {
            return;
        }
        if (readSinceCheck) {
            readSinceCheck = false;
            silentChecks = 0;
        } else if (++silentChecks >= 2 && !pingOutstanding) {
            ping();
        }
        scheduleNext();
    }

    private void ping() {
        pingOutstanding = true;
        connection.control(new Request.Ping(NO_PAYLOAD), settings.pingTimeoutNanos())
                .subscribe(frame -> pingOutstanding = false, error -> {
                    pingOutstanding = false;
                    if (error instanceof AttemptFailure f && f.kind() == AttemptFailure.Kind.TIMEOUT) {
                        connection.close(new HsmTimeoutException("keepalive PING not answered within "
                                + Duration.ofNanos(settings.pingTimeoutNanos()) + "; closing the connection",
                                settings.clusterId(), settings.address()));
                    }
                });
    }
}
