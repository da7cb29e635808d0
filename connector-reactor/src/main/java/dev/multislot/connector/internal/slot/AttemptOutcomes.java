package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.HsmConnectionException;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.api.errors.HsmOutcomeUnknownException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.connector.RetryMode;
import dev.multislot.connector.internal.metrics.RetryReason;
import dev.multislot.connector.internal.transport.AttemptFailure;
import dev.multislot.connector.internal.transport.FailedStatus;
import dev.multislot.protocol.Status;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a call's failed attempts leave behind (the HSMs to skip, each one's error, the count of
 * attempts and busy retries) and what follows a failed attempt. Created at a call's first failure,
 * so that a request answered at once allocates none of it. Touched by one thread at a time, as
 * the call's attempts are.
 *
 * <p>What is retried, and why:
 * <ul>
 *   <li>an attempt that provably never left this client (no ready connection, a breaker that
 *       refused it, a connection that closed before writing it) moves to another HSM, whatever
 *       the request;</li>
 *   <li>a lost connection or a timed-out attempt moves a request that is safe to repeat (every
 *       read and stateless operation) to another HSM, up to {@code maxAttempts}; a state change
 *       fails with {@link HsmOutcomeUnknownException} instead, since it may have been done;</li>
 *   <li>a "busy" answer means the HSM did nothing: retried after backoff in
 *       {@link RetryMode#STANDARD}, up to {@code maxAttempts}; at once an
 *       {@link HsmThrottledException} in {@link RetryMode#OFF};</li>
 *   <li>every other answer is final.</li>
 * </ul>
 */
final class AttemptOutcomes {

    private final RequestCall<?> call;
    private int attempts;
    private int busyRetries;
    private HsmNode[] excluded;
    private int excludedCount;
    private Map<HsmAddress, Throwable> errors;
    private HsmConnectorException lastError;
    private HsmAddress lastHsm;

    AttemptOutcomes(RequestCall<?> call) {
        this.call = call;
    }

    /** The HSM for the next attempt, skipping those excluded; null when none can take it. */
    HsmNode pick(int loginGeneration) {
        return call.slot.pick(loginGeneration, excluded, excludedCount);
    }

    /** Each HSM's error for this request, or null when none failed yet. */
    Map<HsmAddress, Throwable> errors() {
        return errors;
    }

    /** After a failed attempt on {@code node}: retries, moves on or ends the call. */
    void afterFailure(HsmNode node, Throwable error, long now) {
        SlotImpl slot = call.slot;
        if (error instanceof FailedStatus failed) {
            HsmConnectorException mapped = ErrorMapping.toException(failed.frame(), slot.clusterId(), node.address());
            if (failed.status() != Status.HSM_BUSY) {
                call.fail(mapped);
                return;
            }
            record(node, mapped);
            attempts++;
            if (call.options.retryMode() == RetryMode.OFF) {
                call.fail(mapped);
            } else if (attempts >= call.options.maxAttempts()) {
                call.fail(new HsmThrottledException("still busy after " + attempts + " attempts", slot.clusterId(),
                        node.address(), mapped));
            } else {
                long remaining = call.requestDeadline - now;
                long delay = Math.min(remaining, ExponentialReconnectionSchedule.jittered(
                        call.options.retryBackoff().toNanos(), call.options.retryBackoffMax().toNanos(), ++busyRetries - 1));
                call.slot.recorder().retried(RetryReason.BUSY);
                call.retryAfter(delay, lastError);
            }
            return;
        }
        if (error instanceof AttemptFailure failure) {
            HsmConnectorException cause = failure.error();
            record(node, cause);
            if (!failure.mayHaveReachedHsm()) {
                failOver(node, cause, now);
                return;
            }
            attempts++;
            if (call.request().opcode().changesState()) {
                call.fail(new HsmOutcomeUnknownException("the " + call.request().opcode()
                        + " request may or may not have been carried out (" + cause.getMessage()
                        + "); it is not repeated: check the key store before trying again",
                        slot.clusterId(), node.address(), cause));
            } else if (call.requestDeadline - now <= 0) {
                call.fail(timedOut());
            } else if (attempts >= call.options.maxAttempts()) {
                call.fail(cause);
            } else {
                failOver(node, cause, now);
            }
            return;
        }
        if (error instanceof HsmConnectorException e) {
            call.fail(e);
            return;
        }
        call.fail(new HsmConnectionException("request failed: " + error, slot.clusterId(), node.address(), error));
    }

    /** The attempt on {@code node} failed without an answer: the request moves to another HSM. */
    private void failOver(HsmNode node, HsmConnectorException cause, long now) {
        call.slot.recorder().retried(RetryReason.FAILOVER);
        exclude(node, cause);
        call.next(now);
    }

    HsmTimeoutException timedOut() {
        String last = lastError == null ? "" : "; last error: " + lastError.getMessage();
        HsmAddress hsm = lastHsm != null ? lastHsm : call.attemptHsm();
        return new HsmTimeoutException("no answer within the request timeout of " + call.options.requestTimeout()
                + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s") + last + ")", call.slot.clusterId(), hsm, lastError);
    }

    void exclude(HsmNode node, HsmConnectorException reason) {
        record(node, reason);
        if (excluded == null) {
            excluded = new HsmNode[4];
        } else if (excludedCount == excluded.length) {
            excluded = Arrays.copyOf(excluded, excludedCount * 2);
        }
        excluded[excludedCount++] = node;
    }

    private void record(HsmNode node, HsmConnectorException error) {
        lastError = error;
        lastHsm = node.address();
        if (errors == null) {
            errors = new LinkedHashMap<>(4);
        }
        errors.put(node.address(), error);
    }
}
