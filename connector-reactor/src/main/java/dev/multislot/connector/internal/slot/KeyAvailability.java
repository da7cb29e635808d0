package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.errors.KeyAvailabilityException;
import dev.multislot.connector.internal.transport.HsmConnection;
import dev.multislot.connector.internal.transport.LoginState;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The SDK's key availability check for one slot ({@code options.disable_key_availability_check}
 * false, the default): a key is used only once two HSMs of the slot hold it, and a new key is
 * handed out only once a second HSM holds it. Which HSMs hold a key is asked with GET_KEY on each
 * (an HSM without the key answers KEY_HANDLE_INVALID). A key found on two is remembered for the
 * slot's life (at most {@value #MAX_REMEMBERED} keys; then the memory starts over), so the check
 * costs one round of GET_KEYs per key, not per operation; concurrent first uses share one round.
 * A slot of one HSM is never refused: it logs once that its keys have no second copy.
 */
final class KeyAvailability {

    private static final Logger log = LoggerFactory.getLogger(KeyAvailability.class);
    static final int MAX_REMEMBERED = 100_000;
    private static final Duration FIRST_POLL = Duration.ofMillis(5);
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final SlotImpl slot;
    private final Map<Long, Mono<Void>> checked = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedSingleHsm = new AtomicBoolean();

    KeyAvailability(SlotImpl slot) {
        this.slot = slot;
    }

    private static final Mono<Void> PASSED = Mono.empty();

    /** The fast path, taken by every operation on a key already checked: no allocation. */
    boolean passes(KeyRef key) {
        return !slot.config().options().keyAvailabilityCheck() || slot.nodeCount() < 2 || checked.get(key.handle()) == PASSED;
    }

    private boolean enabled() {
        if (!slot.config().options().keyAvailabilityCheck()) {
            return false;
        }
        if (slot.nodeCount() < 2) {
            if (warnedSingleHsm.compareAndSet(false, true)) {
                log.warn("{}: the slot has one HSM, so its keys have no second copy; the key availability check"
                        + " passes every key until a second HSM joins", slot.clusterId());
            }
            return false;
        }
        return true;
    }

    /** Completes when two HSMs hold {@code key}; else fails with KeyAvailabilityException. */
    Mono<Void> beforeUse(LoginState login, KeyRef key) {
        if (!enabled()) {
            return Mono.empty();
        }
        Mono<Void> known = checked.get(key.handle());
        if (known != null) {
            return known;
        }
        if (checked.size() >= MAX_REMEMBERED) {
            checked.clear();
        }
        Mono<Void> round = Mono.defer(() -> holders(login, key.handle(), slot.nodes()))
                .flatMap(n -> n >= 2 ? Mono.<Void>empty() : Mono.error(refused(key, n, "is held by " + n + " of the slot's "
                        + slot.nodes().size() + " HSMs")))
                .doOnSuccess(v -> checked.replace(key.handle(), PASSED))
                .doOnError(e -> checked.remove(key.handle()))
                .cache();
        Mono<Void> raced = checked.putIfAbsent(key.handle(), round);
        return raced != null ? raced : round;
    }

    /** {@code key}, once an HSM other than {@code madeOn} holds it; fails after the request timeout. */
    Mono<KeyRef> afterGenerate(LoginState login, KeyRef key, HsmAddress madeOn) {
        if (!enabled()) {
            return Mono.just(key);
        }
        Duration timeout = slot.options().requestTimeout();
        return Mono.defer(() -> {
                    List<HsmNode> others = new ArrayList<>();
                    for (HsmNode n : slot.nodes()) {
                        if (!n.address().equals(madeOn)) {
                            others.add(n);
                        }
                    }
                    return holders(login, key.handle(), others);
                })
                .flatMap(n -> n >= 1 ? Mono.just(key) : Mono.error(new NotYetReplicated()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_POLL).maxBackoff(MAX_POLL)
                        .filter(NotYetReplicated.class::isInstance).scheduler(slot.context().timer()))
                .timeout(timeout, slot.context().timer())
                .onErrorMap(e -> !(e instanceof KeyAvailabilityException), e -> refused(key, 1,
                        "was made on " + madeOn + " but no other of the slot's " + slot.nodes().size()
                                + " HSMs held it within " + timeout.toMillis() + " ms"))
                .doOnNext(k -> checked.put(k.handle(), PASSED));
    }

    /** A deleted key is forgotten, so a later key with a reused handle is checked afresh. */
    void forget(KeyRef key) {
        checked.remove(key.handle());
    }

    /** How many of {@code nodes} answer GET_KEY for the handle with the key (an HSM that cannot be asked counts as not). */
    private Mono<Integer> holders(LoginState login, long handle, List<HsmNode> nodes) {
        long timeoutNanos = slot.options().requestTimeout().toNanos();
        return Flux.fromIterable(nodes)
                .flatMap(node -> {
                    HsmConnection c = node.pickConnection(login.generation());
                    if (c == null) {
                        return Mono.just(0);
                    }
                    return c.sendHere(new Request.GetKey(handle), timeoutNanos)
                            .map(frame -> frame.response() instanceof Response.KeyInfo ? 1 : 0)
                            .onErrorReturn(0);
                })
                .reduce(0, Integer::sum);
    }

    private KeyAvailabilityException refused(KeyRef key, int holders, String what) {
        return new KeyAvailabilityException("key " + key.handle() + " ('" + key.label() + "', " + key.type() + ") " + what
                + "; the cluster's key availability check needs two. Wait for the cluster to replicate it, or set"
                + " options.disable_key_availability_check (configure-pkcs11 --disable-key-availability-check)",
                slot.clusterId(), key.handle(), holders, slot.nodes().size());
    }

    /** A round found no second holder yet: poll again. */
    private static final class NotYetReplicated extends RuntimeException {
        NotYetReplicated() {
            super(null, null, false, false);
        }
    }
}
