package dev.multislot.connector.internal.slot;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.api.errors.UserAlreadyLoggedInException;
import dev.multislot.connector.internal.log.RateLimitedWarning;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.HsmErrors;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.protocol.Opcode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A slot's login: the one state every connection of the slot is brought to, and the attempt that
 * is establishing it. Every change (a login joined or begun, an HSM's answer, a cancellation, a
 * logout, the slot's end) runs on the connector's registry thread; the request path and
 * connections being opened read the state, which is volatile, and never change it.
 *
 * <p>A login is tried on one connection first, so that a wrong password costs exactly one LOGIN
 * (no lockout storm); once an HSM accepts it, every other connection follows in the background.
 * Callers asking for the same login while it is tried wait for the same attempt; when every one of
 * them has cancelled, the attempt stops and the slot is logged out again, so nothing is left
 * half-logged-in by a caller that went away.
 */
final class SlotLogin {

    private static final Logger log = LoggerFactory.getLogger(SlotLogin.class);

    private final SlotImpl slot;
    private final ClusterId clusterId;
    /** One per connection that cannot follow a login change: many at once when an HSM stalls. */
    private final RateLimitedWarning changeFailed = new RateLimitedWarning(log);
    private volatile LoginState state = LoginState.initial();
    /** The login being tried, or null; registry thread only. */
    private Attempt attempt;

    SlotLogin(SlotImpl slot) {
        this.slot = slot;
        this.clusterId = slot.clusterId();
    }

    /** The login every connection should hold now. */
    LoginState current() {
        return state;
    }

    /** Logs {@code credentials} in, or joins that login if it is in force or being tried. */
    Mono<SlotSession> login(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        String user = credentials.username();
        return Mono.defer(() -> {
            HsmConnectorException refused = slot.refusalForNewWork();
            if (refused != null) {
                return Mono.error(refused);
            }
            char[] password = credentials.password();
            byte[] utf8 = utf8(password);
            Arrays.fill(password, '\0');
            return Mono.<SlotSession>create(sink -> slot.context().onRegistry(() -> {
                LoginState joined;
                try {
                    joined = join(user, utf8);
                } catch (RuntimeException e) {
                    sink.error(e);
                    return;
                }
                Disposable waiting = joined.outcome().subscribe(null, sink::error,
                        () -> sink.success(new SlotSessionImpl(slot, joined)));
                // Called at once if the caller has already gone.
                sink.onCancel(() -> {
                    waiting.dispose();
                    slot.context().onRegistry(() -> leave(joined));
                });
            }));
        });
    }

    /** Registry thread: the state the caller waits for; takes over {@code utf8}. */
    private LoginState join(String user, byte[] utf8) {
        LoginState current = state;
        if (current.isLoggedIn()) {
            boolean same = current.username().equals(user) && current.passwordEquals(utf8);
            Arrays.fill(utf8, (byte) 0);
            if (!same) {
                throw new UserAlreadyLoggedInException("user '" + current.username() + "' is logged in to this slot"
                        + (current.username().equals(user) ? " with other credentials" : "") + "; log out first",
                        clusterId, null);
            }
            if (attempt != null && attempt.target == current) {
                attempt.waiters++;
            }
            return current;
        }
        // Checked again on the owner: the slot may have been closed since the caller looked.
        HsmConnectorException refused = slot.refusalForNewWork();
        if (refused != null) {
            Arrays.fill(utf8, (byte) 0);
            throw refused;
        }
        LoginState next = current.loginAs(user, utf8);
        state = next;
        attempt = new Attempt(next, slot.time().nanoTime());
        tryNext(attempt);
        return next;
    }

    /** Registry thread: one waiter went away; the last one stops an attempt no HSM has accepted yet. */
    private void leave(LoginState joined) {
        Attempt a = attempt;
        if (a == null || a.target != joined || --a.waiters > 0) {
            return;
        }
        log.info("{}: the login of user '{}' was cancelled before an HSM accepted it", clusterId, a.target.username());
        end(a);
        state = a.target.loggedOut();
        broadcast(state);
        a.target.wipe();
    }

    /** Registry thread: LOGIN on the least loaded connection of an HSM not yet tried. */
    private void tryNext(Attempt a) {
        if (attempt != a) {
            return;
        }
        HsmNode node = null;
        HsmConnection connection = null;
        for (HsmNode n : slot.nodeSnapshot()) {
            if (!a.tried.contains(n) && !n.isClosed()) {
                HsmConnection c = n.anyReadyConnection();
                if (c != null && (connection == null || c.load() < connection.load())) {
                    node = n;
                    connection = c;
                }
            }
        }
        if (connection == null) {
            for (HsmNode n : slot.nodeSnapshot()) {
                a.failures.putIfAbsent(n.address(), n.unavailableReason(a.target.generation()));
            }
            abandon(a, new SlotUnavailableException("cannot log in: no HSM of the slot is reachable", clusterId,
                    a.failures));
            return;
        }
        HsmNode chosen = node;
        a.tried.add(chosen);
        a.inFlight = connection.applyLogin(a.target)
                .timeout(slot.options().requestTimeout(), slot.context().timer())
                .publishOn(slot.context().registry())
                .subscribe(null, error -> {
                    if (attempt != a) {
                        return;
                    }
                    if (error instanceof AuthenticationFailedException auth) {
                        log.warn("{}: login of user '{}' rejected by HSM {}", clusterId, a.target.username(),
                                chosen.address());
                        abandon(a, auth);
                    } else {
                        a.failures.put(chosen.address(), error);
                        tryNext(a);
                    }
                }, () -> {
                    if (attempt != a) {
                        return;
                    }
                    attempt = null;
                    a.target.confirm();
                    record(a, null);
                    log.info("{}: user '{}' logged in", clusterId, a.target.username());
                    broadcast(a.target);
                });
    }

    /** Registry thread: the attempt failed; the slot is logged out again and its waiters get {@code error}. */
    private void abandon(Attempt a, Throwable error) {
        end(a);
        state = a.target.loggedOut();
        a.target.reject(error);
        record(a, error);
        broadcast(state);
        a.target.wipe();
    }

    private void end(Attempt a) {
        attempt = null;
        if (a.inFlight != null) {
            a.inFlight.dispose();
        }
    }

    private void record(Attempt a, Throwable error) {
        slot.recorder().requestEnded(null, Opcode.LOGIN, slot.time().nanoTime() - a.begunNanos, null, error);
    }

    /** Registry thread: brings every ready connection to {@code target}; one that cannot follow is closed. */
    private Mono<Void> broadcast(LoginState target) {
        List<Mono<Void>> all = new ArrayList<>();
        for (HsmNode n : slot.nodeSnapshot()) {
            for (HsmConnection c : n.readyConnections()) {
                if (c.loginGeneration() < target.generation()) {
                    all.add(c.applyLogin(target)
                            .timeout(slot.options().connectTimeout(), slot.context().timer())
                            .onErrorResume(e -> {
                                if (slot.isActive() && !c.isClosed()) {
                                    changeFailed.warn("{} HSM {}: could not apply the login change on a connection ({});"
                                            + " reconnecting", clusterId, n.address(), e.getMessage());
                                }
                                c.close(HsmErrors.asHsmError(e, "login change failed", clusterId, n.address()));
                                return Mono.empty();
                            }));
                }
            }
        }
        Mono<Void> done = Mono.when(all).cache();
        done.subscribe();
        return done;
    }

    /** A connection just opened: brings it to the slot's login if that changed while it was connecting. */
    void sync(HsmConnection connection) {
        LoginState target = state;
        if (target.isConfirmed() && connection.loginGeneration() < target.generation()) {
            connection.applyLogin(target).subscribe(null, e -> connection.close(
                    HsmErrors.asHsmError(e, "login replay failed", clusterId, null)));
        }
    }

    /** Logs out {@code session}'s login, if it is still the slot's, on every connection. */
    Mono<Void> logout(LoginState session) {
        return Mono.<Mono<Void>>create(sink -> slot.context().onRegistry(() -> sink.success(logoutNow(session))))
                .flatMap(done -> done);
    }

    private Mono<Void> logoutNow(LoginState session) {
        LoginState current = state;
        if (current != session || !current.isLoggedIn()) {
            return Mono.empty();
        }
        state = current.loggedOut();
        log.info("{}: user '{}' logged out", clusterId, current.username());
        Mono<Void> done = broadcast(state);
        // Wiped once every connection has moved on, whether or not the caller still waits.
        done.subscribe(null, e -> current.wipe(), current::wipe);
        return done;
    }

    /** Registry thread, when the slot ends: stops an attempt in progress with {@code cause} and forgets the password. */
    void close(HsmConnectorException cause) {
        Attempt a = attempt;
        if (a != null) {
            end(a);
            a.target.reject(cause);
        }
        LoginState last = state;
        state = last.loggedOut();
        last.wipe();
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /** A login being tried: registry thread only. */
    private static final class Attempt {
        final LoginState target;
        final long begunNanos;
        final Set<HsmNode> tried = new HashSet<>();
        final Map<HsmAddress, Throwable> failures = new TreeMap<>();
        int waiters = 1;
        Disposable inFlight;

        Attempt(LoginState target, long begunNanos) {
            this.target = target;
            this.begunNanos = begunNanos;
        }
    }
}
