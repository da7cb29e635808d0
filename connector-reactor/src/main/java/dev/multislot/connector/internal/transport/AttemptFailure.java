package dev.multislot.connector.internal.transport;

import dev.multislot.api.errors.HsmConnectorException;

/**
 * Why one attempt on one HSM failed without an answer: its connection was lost or it timed out.
 * A signal between the connection and the request state machine (and the circuit breaker, which
 * records it as a failure), never seen by users: the state machine turns it into a public error
 * ({@link #error()}) or a retry. Stackless, since it is a routine control-flow signal.
 */
public final class AttemptFailure extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The connection was closed, or could not take the request. */
        CONNECTION,
        /** No answer within the attempt's timeout. */
        TIMEOUT
    }

    private final Kind kind;
    private final boolean mayHaveReachedHsm;
    private final HsmConnectorException error;

    public AttemptFailure(Kind kind, boolean mayHaveReachedHsm, HsmConnectorException error) {
        super(error.getMessage(), error, false, false);
        this.kind = kind;
        this.mayHaveReachedHsm = mayHaveReachedHsm;
        this.error = error;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the request may have left this client: false only when it provably was never
     * written to the socket, so that repeating it elsewhere is safe even for a state change.
     */
    public boolean mayHaveReachedHsm() {
        return mayHaveReachedHsm;
    }

    /** The public error describing the failure, naming the cluster and HSM. */
    public HsmConnectorException error() {
        return error;
    }
}
