package dev.multislot.connector.internal.slot;

import dev.multislot.api.BreakerState;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotHealth;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.connector.HsmCandidate;
import dev.multislot.connector.SlotOptions;
import dev.multislot.connector.internal.transport.AttemptFailure;
import dev.multislot.connector.internal.transport.ConnectionSettings;
import dev.multislot.connector.internal.transport.FailedStatus;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.TlsMaterial;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One HSM of a slot: its connections (each kept open by a {@link ConnectionSupervisor}), its
 * circuit breaker. Its in-flight count is its connections' loads, counted once, by the connections.
 *
 * <p>One owner: every change of this HSM's connections and up/down state (connection up, lost,
 * failed, drain, close) runs on the connector's registry thread, where its supervisors report;
 * the fields below are written there only. The request path reads only volatile or atomic state
 * and the breaker.
 */
public final class HsmNode implements HsmCandidate {

    private static final Logger log = LoggerFactory.getLogger(HsmNode.class);

    private final SlotImpl slot;
    private final HsmAddress address;
    private final TlsMaterial tls;
    private final HsmBreaker breaker;
    private final ConnectionSupervisor[] supervisors;
    private final AtomicReferenceArray<HsmConnection> ready;
    private final Sinks.Empty<Void> firstAttempt = Sinks.empty();
    private final Sinks.Empty<Void> drained = Sinks.empty();

    private volatile HsmConnectorException lastError;
    private volatile boolean draining;
    private volatile boolean closed;

    // Written on the registry thread only; volatile where other threads read them.
    private volatile int readyCount;
    private volatile boolean downReported;
    private boolean up;
    private int firstAttemptsLeft;

    HsmNode(SlotImpl slot, HsmAddress address, TlsMaterial tls, HsmConnectorException setupError, SlotOptions options) {
        this.slot = slot;
        this.address = address;
        this.tls = tls;
        this.lastError = setupError;
        this.breaker = new HsmBreaker(this, options);
        int n = options.connectionsPerHsm();
        this.supervisors = new ConnectionSupervisor[n];
        this.ready = new AtomicReferenceArray<>(n);
        this.firstAttemptsLeft = n;
        for (int i = 0; i < n; i++) {
            supervisors[i] = new ConnectionSupervisor(this, i);
        }
    }

    /**
     * Failures for the breaker: what the HSM or the network caused. Answers about the caller's
     * input (unknown key, wrong password, bad data) travel as normal responses and never get here.
     */
    static boolean isHsmFailure(Throwable t) {
        return t instanceof AttemptFailure || t instanceof FailedStatus;
    }

    // ------------------------------------------------------------------ request path

    @Override
    public HsmAddress address() {
        return address;
    }

    @Override
    public ClusterId clusterId() {
        return slot.clusterId();
    }

    @Override
    public Optional<String> availabilityZone() {
        return slot.zoneOf(address);
    }

    @Override
    public int inFlight() {
        int n = 0;
        for (int i = 0, k = ready.length(); i < k; i++) {
            HsmConnection c = ready.get(i);
            if (c != null) {
                n += c.load();
            }
        }
        return n;
    }

    /** While draining: told by a connection whose load fell to 0. */
    private void checkDrained() {
        if (inFlight() == 0) {
            drained.tryEmitEmpty();
        }
    }

    SlotImpl slot() {
        return slot;
    }

    /** Whether a request of this login generation may be sent here now (see {@link HsmBreaker#admitsRequests}). */
    boolean isCandidate(int loginGeneration) {
        if (draining || closed) {
            return false;
        }
        return breaker.admitsRequests() && pickConnection(loginGeneration) != null;
    }

    /** The least loaded ready connection carrying this login generation, or null. */
    HsmConnection pickConnection(int loginGeneration) {
        HsmConnection best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0, n = ready.length(); i < n; i++) {
            HsmConnection c = ready.get(i);
            if (c != null && c.isReady() && c.loginGeneration() == loginGeneration) {
                int load = c.load();
                if (load < bestLoad) {
                    best = c;
                    bestLoad = load;
                }
            }
        }
        return best;
    }

    /** Any ready connection, whatever its login; for logging in. */
    HsmConnection anyReadyConnection() {
        HsmConnection best = null;
        for (int i = 0, n = ready.length(); i < n; i++) {
            HsmConnection c = ready.get(i);
            if (c != null && c.isReady() && (best == null || c.load() < best.load())) {
                best = c;
            }
        }
        return best;
    }

    /** Every ready connection now. */
    public List<HsmConnection> readyConnections() {
        List<HsmConnection> list = new ArrayList<>(ready.length());
        for (int i = 0, n = ready.length(); i < n; i++) {
            HsmConnection c = ready.get(i);
            if (c != null && c.isReady()) {
                list.add(c);
            }
        }
        return list;
    }

    /** The last connection or set-up error, or a description of why the HSM takes no request. */
    HsmConnectorException unavailableReason(int loginGeneration) {
        // An HSM without connections is down for a reason (refused, TLS, wrong cluster): that
        // reason, not the breaker it tripped, is what tells the user what to fix.
        HsmConnectorException e = lastError;
        if (e != null && readyCount == 0) {
            return e;
        }
        if (breaker.isOpen()) {
            return breaker.openRefusal();
        }
        if (readyCount > 0 && pickConnection(loginGeneration) == null) {
            return new HsmConnectionException("no connection has finished the login yet", slot.clusterId(), address);
        }
        return e != null ? e : new HsmConnectionException("not connected", slot.clusterId(), address);
    }

    /** The typed refusal of this HSM's breaker, in the state it is in now. */
    HsmBreakerOpenException breakerRefusal(String message) {
        return breaker.refusal(message);
    }

    // ------------------------------------------------------------------ breaker

    /** The HSM's Resilience4j breaker, which the request path asks and tells directly. */
    CircuitBreaker breaker() {
        return breaker.circuitBreaker();
    }

    public BreakerState breakerState() {
        return breaker.state();
    }

    /** Publishes a breaker transition if there was one; cheap when there was not. */
    void observeBreaker() {
        breaker.observe();
    }

    // ------------------------------------------------------------------ connections

    TlsMaterial tls() {
        return tls;
    }

    ConnectionSettings connectionSettings() {
        SlotOptions o = slot.options();
        return new ConnectionSettings(slot.clusterId(), address, o.maxInFlightPerConnection(),
                slot.context().connectorOptions().maxFrameSize(), slot.context().connectorOptions().clientName(),
                o.connectTimeout().toNanos(), o.keepaliveInterval().toNanos(), o.pingTimeout().toNanos(),
                tls == null ? "" : tls.describe());
    }

    /** Starts connecting; completes when the first attempt of every connection has ended (or one succeeded). */
    Mono<Void> start() {
        if (tls == null) {
            // The TLS files could not be read: nothing to connect with.
            downReported = true;
            log.warn("{} HSM {}: cannot connect: {}", slot.clusterId(), address, lastError.getMessage());
            slot.publish(new SlotEvent.HsmDown(slot.now(), slot.id(), slot.clusterId(), address, lastError.getMessage()));
            slot.policyHook(p -> p.onDown(this));
            return Mono.empty();
        }
        for (ConnectionSupervisor s : supervisors) {
            s.start();
        }
        return firstAttempt.asMono();
    }

    /** On the registry thread: a supervisor's connection is open and ready. */
    void connectionUp(ConnectionSupervisor supervisor, HsmConnection connection) {
        if (closed) {
            // closeNow() has run: a connection it could not see must not outlive it.
            connection.close(new HsmConnectionException("HSM left the slot", slot.clusterId(), address));
            return;
        }
        if (ready.getAndSet(supervisor.index(), connection) == null) {
            readyCount++;
        }
        firstAttemptDone(supervisor);
        if (!up) {
            up = true;
            downReported = false;
            log.info("{} HSM {}: up ({})", slot.clusterId(), address, connection.hsmId());
            slot.publish(new SlotEvent.HsmUp(slot.now(), slot.id(), slot.clusterId(), address));
            slot.policyHook(p -> p.onUp(this));
            breaker.probeAfterReconnect();
        }
        slot.syncLogin(connection);
    }

    /** On the registry thread: a ready connection closed. */
    void connectionLost(ConnectionSupervisor supervisor, HsmConnection connection, HsmConnectorException cause) {
        lastError = cause;
        if (ready.compareAndSet(supervisor.index(), connection, null)) {
            readyCount--;
        }
        if (readyCount == 0 && up && !closed && !draining) {
            up = false;
            downReported = true;
            log.warn("{} HSM {}: down: {}", slot.clusterId(), address, cause.getMessage());
            slot.publish(new SlotEvent.HsmDown(slot.now(), slot.id(), slot.clusterId(), address, cause.getMessage()));
            slot.policyHook(p -> p.onDown(this));
            breaker.openForDownHsm();
        }
    }

    /** On the registry thread: a connection attempt failed. */
    void connectFailed(ConnectionSupervisor supervisor, HsmConnectorException cause) {
        if (closed) {
            return;
        }
        lastError = cause;
        firstAttemptDone(supervisor);
        if (readyCount == 0 && !downReported && !draining) {
            up = false;
            downReported = true;
            log.warn("{} HSM {}: cannot connect: {}", slot.clusterId(), address, cause.getMessage());
            slot.publish(new SlotEvent.HsmDown(slot.now(), slot.id(), slot.clusterId(), address, cause.getMessage()));
            slot.policyHook(p -> p.onDown(this));
            breaker.openForDownHsm();
        }
        slot.onConnectFailed();
    }

    private void firstAttemptDone(ConnectionSupervisor supervisor) {
        if (supervisor.markFirstAttemptDone()) {
            firstAttemptsLeft--;
            if (readyCount > 0 || firstAttemptsLeft == 0) {
                firstAttempt.tryEmitEmpty();
            }
        }
    }

    /** Whether the HSM has an open connection. */
    boolean isUp() {
        return readyCount > 0;
    }

    /** Whether this HSM is down and has failed at least one attempt to connect since. */
    boolean hasFailedToConnect() {
        return readyCount == 0 && downReported;
    }

    /** Connections taking requests; for the {@code multislot.hsm.connections} gauge. */
    public int readyConnectionCount() {
        return readyCount;
    }

    /** Connections being opened (TCP, TLS, HELLO, login replay); for the same gauge. */
    public int openingConnectionCount() {
        int n = 0;
        for (ConnectionSupervisor s : supervisors) {
            if (s.isOpening()) {
                n++;
            }
        }
        return n;
    }

    SlotHealth.HsmHealth health() {
        return new SlotHealth.HsmHealth(address, isUp(), breakerState(), inFlight());
    }

    // ------------------------------------------------------------------ leaving

    /**
     * Stops taking requests, lets the in-flight ones finish for up to {@code grace}, then closes
     * every connection (requests still on them end with {@code cause}, and those safe to repeat
     * move to the slot's other HSMs). Completes with the number of requests cut off.
     */
    Mono<Integer> drainAndClose(Duration grace, HsmConnectorException cause) {
        draining = true;
        for (ConnectionSupervisor s : supervisors) {
            s.stop();
        }
        for (int i = 0; i < ready.length(); i++) {
            HsmConnection c = ready.get(i);
            if (c != null) {
                c.onIdle(this::checkDrained);
            }
        }
        checkDrained();
        return drained.asMono()
                .timeout(grace, Mono.empty(), slot.context().timer())
                .publishOn(slot.context().registry())
                .then(Mono.fromSupplier(() -> closeNow(cause)));
    }

    /** On the registry thread: closes at once; returns how many requests were still in flight. */
    int closeNow(HsmConnectorException cause) {
        int abandoned = inFlight();
        boolean wasClosed = closed;
        closed = true;
        draining = true;
        if (!wasClosed) {
            breaker.remove();
            slot.policyHook(p -> p.onRemove(this));
        }
        for (ConnectionSupervisor s : supervisors) {
            s.close(cause);
        }
        for (int i = 0; i < ready.length(); i++) {
            HsmConnection c = ready.get(i);
            if (c != null) {
                c.close(cause);
            }
        }
        return abandoned;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return slot.clusterId() + "/" + address;
    }
}
