package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import java.util.ArrayDeque;
import java.util.Arrays;
import reactor.core.publisher.MonoSink;

/**
 * Brings one connection to the login states its slot asks for, one LOGIN or LOGOUT at a time, in
 * generation order: a state older than the one applied completes at once; a login over another
 * one logs out first; a login the HSM already holds (it reports "already logged in") is logged
 * out and tried again, twice at most. Confined to the connection's event loop, except
 * {@link #generation()}.
 */
final class LoginSequencer {

    private final HsmConnection connection;
    private final ConnectionSettings settings;
    private final ArrayDeque<Job> jobs = new ArrayDeque<>(2);
    private boolean busy;
    private boolean loggedIn;
    private volatile int generation;

    LoginSequencer(HsmConnection connection, ConnectionSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

    /** The generation of the last login state applied. */
    int generation() {
        return generation;
    }

    /** On the loop: queues {@code target}; {@code sink} ends when it is applied or has failed. */
    void apply(LoginState target, MonoSink<Void> sink) {
        jobs.add(new Job(target, sink));
        pump();
    }

    /** On the loop: runs the next job unless one is running; also called once the connection has closed. */
    void pump() {
        while (!busy) {
            Job job = jobs.peek();
            if (job == null) {
                return;
            }
            LoginState t = job.target;
            if (connection.isClosed()) {
                jobs.poll();
                job.sink.error(connection.closedError(false).error());
                continue;
            }
            if (t.generation() <= generation) {
                jobs.poll();
                job.sink.success();
                continue;
            }
            Request request;
            if (loggedIn) {
                request = new Request.Logout();
            } else if (t.isLoggedIn()) {
                if (++job.loginAttempts > 2) {
                    jobs.poll();
                    job.sink.error(connection.protocolError("the HSM keeps reporting a login on this connection"));
                    continue;
                }
                byte[] password = t.passwordCopy();
                if (password == null) {
                    jobs.poll();
                    job.sink.error(new HsmConnectionException("the login of user '" + t.username()
                            + "' was withdrawn before it reached this connection", settings.clusterId(), settings.address()));
                    continue;
                }
                request = new Request.Login(t.username(), password);
            } else {
                generation = t.generation();
                jobs.poll();
                job.sink.success();
                continue;
            }
            busy = true;
            connection.control(request, settings.controlTimeoutNanos())
                    .subscribe(frame -> onAnswer(job, request, frame), error -> onError(job, request, error));
        }
    }

    private void onAnswer(Job job, Request request, ResponseFrame frame) {
        wipe(request);
        busy = false;
        Status status = frame.status();
        if (request instanceof Request.Logout) {
            if (status == Status.OK || status == Status.USER_NOT_LOGGED_IN) {
                loggedIn = false;
            } else {
                jobs.poll();
                job.sink.error(new HsmConnectionException("LOGOUT refused: " + HsmConnection.describe(frame),
                        settings.clusterId(), settings.address()));
            }
        } else if (status == Status.OK) {
            loggedIn = true;
            generation = job.target.generation();
            jobs.poll();
            job.sink.success();
        } else if (status == Status.USER_ALREADY_LOGGED_IN || status == Status.USER_ANOTHER_ALREADY_LOGGED_IN) {
            // The HSM holds a login we did not know of: log it out and try again.
            loggedIn = true;
        } else {
            jobs.poll();
            if (status == Status.PIN_INCORRECT) {
                job.sink.error(new AuthenticationFailedException("the HSM rejected the password of user '"
                        + job.target.username() + "'", settings.clusterId(), settings.address()));
            } else {
                job.sink.error(new HsmConnectionException("LOGIN of user '" + job.target.username() + "' refused: "
                        + HsmConnection.describe(frame), settings.clusterId(), settings.address()));
            }
        }
        pump();
    }

    private void onError(Job job, Request request, Throwable error) {
        if (!connection.inEventLoop()) {
            // Only a loop that refused the request ends it on another thread; the login state
            // belongs to the loop all the same.
            connection.runOnLoop(() -> onError(job, request, error), () -> {
                wipe(request);
                job.sink.error(connection.controlError(error));
            });
            return;
        }
        wipe(request);
        busy = false;
        jobs.poll();
        job.sink.error(connection.controlError(error));
        pump();
    }

    /** The LOGIN's own copy of the password: encoded when it was written, no longer needed once it has ended. */
    private static void wipe(Request request) {
        if (request instanceof Request.Login login) {
            Arrays.fill(login.password(), (byte) 0);
        }
    }

    private static final class Job {
        final LoginState target;
        final MonoSink<Void> sink;
        int loginAttempts;

        Job(LoginState target, MonoSink<Void> sink) {
            this.target = target;
            this.sink = sink;
        }
    }
}
