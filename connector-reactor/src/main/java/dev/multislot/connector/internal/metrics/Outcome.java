package dev.multislot.connector.internal.metrics;

import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.KeyAvailabilityException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.errors.NotLoggedInException;
import dev.multislot.api.errors.SlotOverloadedException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.connector.internal.transport.AttemptFailure;
import dev.multislot.connector.internal.transport.FailedStatus;
import dev.multislot.protocol.Status;

/** How a request or an attempt ended; the {@code outcome} tag. */
public enum Outcome {
    SUCCESS("success"),
    TIMEOUT("timeout"),
    THROTTLED("throttled"),
    OVERLOADED("overloaded"),
    UNAVAILABLE("unavailable"),
    AUTHENTICATION("authentication"),
    KEY_NOT_FOUND("key_not_found"),
    OUTCOME_UNKNOWN("outcome_unknown"),
    CANCELLED("cancelled"),
    OTHER("other");

    /** Passed as the error of a request its subscriber cancelled; never thrown, no stack trace. */
    public static final Throwable CANCELLED_SIGNAL = new Throwable("cancelled", null, false, false) {
    };

    private static final Outcome[] VALUES = values();

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static Outcome[] all() {
        return VALUES;
    }

    /** The outcome of an HSM's answer. */
    public static Outcome of(Status status) {
        return switch (status) {
            case OK -> SUCCESS;
            case HSM_BUSY -> THROTTLED;
            case PIN_INCORRECT, USER_NOT_LOGGED_IN -> AUTHENTICATION;
            case KEY_HANDLE_INVALID -> KEY_NOT_FOUND;
            default -> OTHER;
        };
    }

    /** The outcome for an end signal: null is a success. */
    public static Outcome of(Throwable error) {
        if (error == null) {
            return SUCCESS;
        }
        if (error == CANCELLED_SIGNAL) {
            return CANCELLED;
        }
        if (error instanceof AttemptFailure failure) {
            return failure.kind() == AttemptFailure.Kind.TIMEOUT ? TIMEOUT : UNAVAILABLE;
        }
        if (error instanceof FailedStatus failed) {
            return of(failed.status());
        }
        if (error instanceof HsmTimeoutException) {
            return TIMEOUT;
        }
        if (error instanceof HsmThrottledException) {
            return THROTTLED;
        }
        if (error instanceof SlotOverloadedException) {
            return OVERLOADED;
        }
        if (error instanceof SlotUnavailableException || error instanceof HsmConnectionException
                || error instanceof SlotRemovedException || error instanceof ConnectorClosedException) {
            return UNAVAILABLE;
        }
        if (error instanceof AuthenticationFailedException || error instanceof NotLoggedInException) {
            return AUTHENTICATION;
        }
        if (error instanceof KeyNotFoundException || error instanceof KeyAvailabilityException) {
            return KEY_NOT_FOUND;
        }
        if (error instanceof HsmOutcomeUnknownException) {
            return OUTCOME_UNKNOWN;
        }
        return OTHER;
    }
}
