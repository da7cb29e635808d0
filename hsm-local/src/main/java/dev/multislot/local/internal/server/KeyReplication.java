package dev.multislot.local.internal.server;

import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which HSMs of a cluster hold which keys. The cluster keeps one key store (as CloudHSM keeps its
 * HSMs in sync); a key is on every HSM as soon as it is made, except on an HSM whose replication is
 * delayed ({@link dev.multislot.local.FaultSwitches#delayKeyReplication(boolean)}): keys made on
 * the others while the delay is on are missing there until it is switched off. An HSM answers a
 * request for a key it lacks as if the key did not exist (KEY_HANDLE_INVALID, and FIND_KEYS leaves it
 * out), which is how a client tells which HSMs hold a key: GET_KEY on each. Thread-safe.
 */
public final class KeyReplication {

    private final Set<String> delayed = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Long>> missing = new ConcurrentHashMap<>();

    /** Starts or ends the delay for one HSM; ending it replicates every key it missed. */
    public void delay(String hsmId, boolean on) {
        if (on) {
            delayed.add(hsmId);
        } else {
            delayed.remove(hsmId);
            missing.remove(hsmId);
        }
    }

    public boolean isDelayed(String hsmId) {
        return delayed.contains(hsmId);
    }

    /** A key was just made on {@code madeOn}: every delayed HSM but that one lacks it. */
    void created(String madeOn, long handle) {
        for (String hsm : delayed) {
            if (!hsm.equals(madeOn)) {
                missing.computeIfAbsent(hsm, k -> ConcurrentHashMap.newKeySet()).add(handle);
            }
        }
    }

    /** Whether {@code hsmId} holds {@code handle} (a key not known at all is "held": the token answers for it). */
    boolean holds(String hsmId, long handle) {
        Set<Long> lacking = missing.get(hsmId);
        return lacking == null || !lacking.contains(handle);
    }

    /** The key a request names, if it names one. */
    static OptionalLong handleOf(Request request) {
        long handle;
        if (request instanceof Request.GetKey r) {
            handle = r.handle();
        } else if (request instanceof Request.GetPublicKey r) {
            handle = r.handle();
        } else if (request instanceof Request.DeleteKey r) {
            handle = r.handle();
        } else if (request instanceof Request.Sign r) {
            handle = r.handle();
        } else if (request instanceof Request.Verify r) {
            handle = r.handle();
        } else if (request instanceof Request.Encrypt r) {
            handle = r.handle();
        } else if (request instanceof Request.Decrypt r) {
            handle = r.handle();
        } else {
            return OptionalLong.empty();
        }
        return OptionalLong.of(handle);
    }

    /** {@code answer} as {@code hsmId} gives it: a key list without the keys it lacks; records new keys. */
    Response seenBy(String hsmId, Request request, Response answer) {
        if (request instanceof Request.GenerateKey && answer instanceof Response.KeyInfo k) {
            created(hsmId, k.handle());
            return answer;
        }
        Set<Long> lacking = missing.get(hsmId);
        if (lacking == null || lacking.isEmpty() || !(answer instanceof Response.KeyList list)) {
            return answer;
        }
        List<Response.KeyInfo> held = new ArrayList<>(list.keys().size());
        for (Response.KeyInfo k : list.keys()) {
            if (!lacking.contains(k.handle())) {
                held.add(k);
            }
        }
        return new Response.KeyList(held);
    }
}
