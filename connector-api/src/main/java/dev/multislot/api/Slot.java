package dev.multislot.api;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * One HSM cluster as the application sees it: the PKCS#11 slot of that cluster.
 *
 * <p>A slot spreads its requests over the cluster's HSMs (the less loaded of two random healthy
 * ones), keeps a small pool of multiplexed TLS connections to each, and stops sending to an HSM
 * whose circuit breaker is open. Requests that are safe to repeat move to another HSM when one
 * fails.
 *
 * <p>Like a PKCS#11 token, a slot has at most one logged-in user at a time: {@link #login}
 * establishes it on every connection of the slot, and on every connection the slot opens later.
 */
public interface Slot {

    /** The stable id of this slot in its connector. */
    SlotId id();

    /** The cluster this slot serves. */
    ClusterId clusterId();

    /**
     * The PKCS#11 position of this slot: its cluster's position in the config file, from 0. It
     * can change when clusters before it are removed; {@link #id()} does not.
     */
    int index();

    /** The HSMs this slot may use now (the enabled servers of the config, or as discovered). */
    List<HsmAddress> hsms();

    /** A snapshot of the slot's health: which HSMs are up, breaker states, in-flight counts. */
    SlotHealth health();

    /**
     * Logs the crypto user in on every HSM connection of this slot.
     *
     * <p>Completes with a session once at least one HSM has accepted the credentials. Fails with
     * {@link dev.multislot.api.errors.AuthenticationFailedException} if an HSM rejects them (not
     * retried, to stay clear of lockout), with
     * {@link dev.multislot.api.errors.SlotUnavailableException} if no HSM can be reached. Logging
     * in again with the same user returns a session on the same login; another user while one is
     * logged in fails with {@link dev.multislot.api.errors.UserAlreadyLoggedInException}.
     */
    Mono<SlotSession> login(Credentials credentials);
}
