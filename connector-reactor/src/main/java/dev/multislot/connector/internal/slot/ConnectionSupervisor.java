package dev.multislot.connector.internal.slot;

import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.connector.ReconnectionSchedule;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.HsmErrors;
import dev.multislot.connector.internal.transport.LoginState;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Keeps one of an HSM's connections open: connects (TCP, TLS, HELLO, login replay), and after a
 * failure or a loss tries again after the delay its {@link ReconnectionSchedule} gives, until
 * stopped.
 *
 * <p>What a connection attempt ends with (opened, failed) and a connection's close are handed to
 * the registry thread, the owner of the node's state, before the node hears of them.
 */
final class ConnectionSupervisor {

    private static final Logger log = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final HsmNode node;
    private final int index;
    private volatile boolean stopped;
    private volatile Disposable pending;
    private volatile HsmConnection current;
    private volatile boolean opening;
    private ReconnectionSchedule schedule;
    private boolean firstAttemptDone;

    ConnectionSupervisor(HsmNode node, int index) {
        this.node = node;
        this.index = index;
    }

    int index() {
        return index;
    }

    /** Whether a connection attempt (TCP, TLS, HELLO, login replay) is under way. */
    boolean isOpening() {
        return opening && !stopped;
    }

    /** True the first time only; on the registry thread. */
    boolean markFirstAttemptDone() {
        if (firstAttemptDone) {
            return false;
        }
        firstAttemptDone = true;
        return true;
    }

    void start() {
        attempt();
    }

    private void attempt() {
        if (stopped) {
            return;
        }
        SlotImpl slot = node.slot();
        Mono<HsmConnection> open = slot.context().connections()
                .open(node.connectionSettings(), node.tls(), slot.options().connectTimeout(),
                        (connection, cause) -> slot.context().onRegistry(() -> onClosed(connection, cause)))
                .flatMap(this::replayLogin)
                // On the connection's own loop, so that it takes requests as soon as the node lists it.
                .doOnNext(HsmConnection::markReady)
                .publishOn(slot.context().registry());
        opening = true;
        pending = open.subscribe(this::onOpened, this::onFailed);
    }

    private Mono<HsmConnection> replayLogin(HsmConnection connection) {
        LoginState login = node.slot().currentLogin();
        if (!login.isLoggedIn() || !login.isConfirmed()) {
            return Mono.just(connection);
        }
        log.debug("{} {}: replaying the login of user '{}' on the new connection", node.slot().clusterId(), connection,
                login.username());
        return connection.applyLogin(login)
                .doOnSuccess(v -> log.debug("{} {}: login replayed", node.slot().clusterId(), connection))
                .thenReturn(connection)
                .onErrorResume(e -> {
                    HsmConnectorException cause = HsmErrors.asHsmError(e, "login replay failed", node.slot().clusterId(),
                            node.address());
                    connection.close(cause);
                    return Mono.error(cause);
                })
                // Stopped while the login was replayed: nobody else holds this connection yet.
                .doOnCancel(() -> connection.close(leftSlot()));
    }

    private HsmConnectionException leftSlot() {
        return new HsmConnectionException("HSM left the slot", node.slot().clusterId(), node.address());
    }

    private void onOpened(HsmConnection connection) {
        opening = false;
        if (stopped) {
            connection.close(leftSlot());
            return;
        }
        current = connection;
        if (stopped) {
            // close() ran between the check above and the write of current and saw none: with
            // both fields volatile, one of the two sides always sees the other and closes.
            current = null;
            connection.close(leftSlot());
            return;
        }
        schedule = null;
        if (connection.isClosed()) {
            // Closed between the handshake and now; its close was not ours to report then.
            onClosed(connection, connection.closeCause());
            return;
        }
        node.connectionUp(this, connection);
    }

    private void onClosed(HsmConnection connection, HsmConnectorException cause) {
        if (current != connection) {
            return; // a connection that never opened: its attempt reports the failure
        }
        current = null;
        node.connectionLost(this, connection, cause);
        scheduleReconnect();
    }

    private void onFailed(Throwable error) {
        opening = false;
        HsmConnectorException cause = HsmErrors.asHsmError(error, "cannot connect", node.slot().clusterId(), node.address());
        if (stopped) {
            return;
        }
        node.connectFailed(this, cause);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        if (schedule == null) {
            schedule = node.slot().context().newReconnectionSchedule(node.slot().options());
        }
        Duration delay = schedule.nextDelay();
        try {
            pending = node.slot().context().timer().schedule(this::attempt, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            stopped = true; // the connector is shutting down
        }
    }

    /** No more reconnects; a connection being opened is abandoned. The open connection stays. */
    void stop() {
        stopped = true;
        Disposable d = pending;
        if (d != null) {
            d.dispose();
        }
    }

    /** Stops and closes the open connection, if any. */
    void close(HsmConnectorException cause) {
        stop();
        HsmConnection c = current;
        if (c != null) {
            c.close(cause);
        }
    }
}
