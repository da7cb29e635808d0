package dev.multislot.connector.internal.transport;

import java.security.MessageDigest;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The login a slot wants on every connection: a generation number, increasing with every login
 * and logout, and the credentials (absent when logged out). Connections apply states in
 * generation order and remember the last one applied.
 *
 * <p>The password is UTF-8 bytes, kept only as long as the login is in force (it must be replayed
 * on every new connection), wiped by {@link #wipe()}, and never printed. A connection encodes its
 * LOGIN from a copy of its own ({@link #passwordCopy()}), since the state may be wiped on another
 * thread while the LOGIN waits to be written.
 */
public final class LoginState {

    private final int generation;
    private final String username;
    private final byte[] password;
    private final Sinks.Empty<Void> outcome = Sinks.empty();
    private volatile boolean confirmed;
    // Guarded by this: a copy is never taken from a half-wiped array.
    private boolean wiped;

    private LoginState(int generation, String username, byte[] password, boolean confirmed) {
        this.generation = generation;
        this.username = username;
        this.password = password;
        this.confirmed = confirmed;
        if (confirmed) {
            outcome.tryEmitEmpty();
        }
    }

    /** The state of a slot nobody has logged in to yet. */
    public static LoginState initial() {
        return new LoginState(0, null, null, true);
    }

    /** A login, not yet confirmed by any HSM. The password array is taken over, not copied. */
    public LoginState loginAs(String user, byte[] passwordUtf8) {
        return new LoginState(generation + 1, user, passwordUtf8, false);
    }

    /** The logged-out state that follows this one. */
    public LoginState loggedOut() {
        return new LoginState(generation + 1, null, null, true);
    }

    public int generation() {
        return generation;
    }

    public boolean isLoggedIn() {
        return username != null;
    }

    /** The user, or null when logged out. */
    public String username() {
        return username;
    }

    /**
     * A copy of the password for one LOGIN, which the caller wipes once the request has ended; null
     * once this state has been wiped (it is no longer in force).
     */
    synchronized byte[] passwordCopy() {
        return password == null || wiped ? null : password.clone();
    }

    /** Whether an HSM has accepted this login (always true for a logged-out state). */
    public boolean isConfirmed() {
        return confirmed;
    }

    /** An HSM accepted the login: it may be replayed on new connections, and waiting logins complete. */
    public void confirm() {
        confirmed = true;
        outcome.tryEmitEmpty();
    }

    /** The login failed; waiting logins fail with {@code error}. */
    public void reject(Throwable error) {
        outcome.tryEmitError(error);
    }

    /** Completes when the login is confirmed, fails when it is rejected. */
    public Mono<Void> outcome() {
        return outcome.asMono();
    }

    /** Whether {@code candidate} equals this state's password, in constant time. */
    public boolean passwordEquals(byte[] candidate) {
        return password != null && MessageDigest.isEqual(password, candidate);
    }

    /** Overwrites the password. */
    public synchronized void wipe() {
        wiped = true;
        if (password != null) {
            Arrays.fill(password, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "LoginState[generation=" + generation + ", user=" + (username == null ? "-" : username)
                + (confirmed ? "" : ", unconfirmed") + "]";
    }
}
