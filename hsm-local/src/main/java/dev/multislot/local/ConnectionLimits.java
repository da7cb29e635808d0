package dev.multislot.local;

import java.time.Duration;
import java.util.Objects;

/**
 * What one local HSM allows a client connection, so that clients that misbehave cannot exhaust it:
 * a connection that has not logged in within {@link #loginTimeout()} is closed (a TLS handshake that
 * never ends counts), so is one idle for {@link #idleTimeout()} with no request in flight; at most
 * {@link #maxConnectionsPerHsm()} connections are open at once (more are reset at accept); and a
 * connection whose peer does not read its answers is not read either once
 * {@link #maxPendingAnswerBytes()} of answers are being computed or wait to be written.
 *
 * <p>So the memory one connection can hold is bounded: at most {@code maxPendingAnswerBytes} of answers
 * (or one answer, if a single one is larger), plus Netty's write buffer high-water mark (64 KiB), plus
 * the requests of one read that arrived before reading stopped (at most Netty's 16 reads of 64 KiB):
 * about 2.1 MiB per connection with the defaults, against up to 1,024 x 64 KiB = 64 MiB without a budget.
 *
 * @param loginTimeout time from accept to the first successful LOGIN; default {@link #DEFAULT_LOGIN_TIMEOUT}
 * @param idleTimeout time without a byte read or written, and no request in flight, before the connection
 *     is closed; default {@link #DEFAULT_IDLE_TIMEOUT} (Multislot's connector pings idle connections well
 *     within it)
 * @param maxConnectionsPerHsm connections one HSM keeps open at once; default {@value #DEFAULT_MAX_CONNECTIONS_PER_HSM}
 * @param maxPendingAnswerBytes answer bytes per connection being computed or queued before reading stops;
 *     default {@value #DEFAULT_MAX_PENDING_ANSWER_BYTES}
 */
public record ConnectionLimits(Duration loginTimeout, Duration idleTimeout, int maxConnectionsPerHsm,
                               int maxPendingAnswerBytes) {

    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HSM = 1024;
    public static final int DEFAULT_MAX_PENDING_ANSWER_BYTES = 1024 * 1024;

    /** The defaults. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_LOGIN_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
            DEFAULT_MAX_CONNECTIONS_PER_HSM, DEFAULT_MAX_PENDING_ANSWER_BYTES);

    public ConnectionLimits {
        requirePositive(loginTimeout, "loginTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        if (maxConnectionsPerHsm < 1) {
            throw new IllegalArgumentException("maxConnectionsPerHsm must be 1 or more, was " + maxConnectionsPerHsm);
        }
        if (maxPendingAnswerBytes < 1024) {
            throw new IllegalArgumentException("maxPendingAnswerBytes must be 1024 or more, was " + maxPendingAnswerBytes);
        }
    }

    public ConnectionLimits withLoginTimeout(Duration timeout) {
        return new ConnectionLimits(timeout, idleTimeout, maxConnectionsPerHsm, maxPendingAnswerBytes);
    }

    public ConnectionLimits withIdleTimeout(Duration timeout) {
        return new ConnectionLimits(loginTimeout, timeout, maxConnectionsPerHsm, maxPendingAnswerBytes);
    }

    public ConnectionLimits withMaxConnectionsPerHsm(int max) {
        return new ConnectionLimits(loginTimeout, idleTimeout, max, maxPendingAnswerBytes);
    }

    public ConnectionLimits withMaxPendingAnswerBytes(int max) {
        return new ConnectionLimits(loginTimeout, idleTimeout, maxConnectionsPerHsm, max);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
