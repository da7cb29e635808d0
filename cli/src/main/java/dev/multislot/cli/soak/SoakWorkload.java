package dev.multislot.cli.soak;

import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.ClusterId;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The soak's workload: a fixed number of workers, each with one request in flight at a time,
 * taking the slots in service in turn. Requests are stateless (HMAC sign, AES-GCM encrypt, random
 * bytes), so the connector may move each to another HSM whatever the chaos does; only a slot the
 * soak is removing may fail them.
 */
final class SoakWorkload {

    /** A slot in service: its session and the keys made on it. */
    record Served(ClusterId clusterId, SlotSession session, KeyRef hmacKey, KeyRef aesKey) {}

    private final RequestLedger ledger;
    private final Scheduler scheduler;
    private final Map<ClusterId, Served> serving = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong turn = new AtomicLong();
    private final byte[] message = "Multislot soak".getBytes(StandardCharsets.UTF_8);
    private final byte[] aad = "soak-aad".getBytes(StandardCharsets.UTF_8);
    private volatile List<Served> rotation = List.of();

    SoakWorkload(RequestLedger ledger, Scheduler scheduler) {
        this.ledger = ledger;
        this.scheduler = scheduler;
    }

    /** Makes the slot's keys; the slot joins the rotation once they exist. */
    static Mono<Served> prepare(ClusterId clusterId, SlotSession session) {
        return Mono.zip(session.generateKey(KeyType.HMAC_SHA256, "soak-hmac"), session.generateKey(KeyType.AES_256, "soak-aes"))
                .map(keys -> new Served(clusterId, session, keys.getT1(), keys.getT2()));
    }

    void serve(Served slot) {
        serving.put(slot.clusterId(), slot);
        rotation = List.copyOf(serving.values());
    }

    /** No new request goes to this slot. */
    void retire(ClusterId clusterId) {
        serving.remove(clusterId);
        rotation = List.copyOf(serving.values());
    }

    boolean isServing(ClusterId clusterId) {
        return serving.containsKey(clusterId);
    }

    void start(int workers) {
        for (int i = 0; i < workers; i++) {
            scheduler.schedule(this::next);
        }
    }

    /** Workers start no new request; those in flight end on their own. */
    void stop() {
        stopped.set(true);
    }

    private void next() {
        if (stopped.get()) {
            return;
        }
        List<Served> slots = rotation;
        if (slots.isEmpty()) {
            scheduler.schedule(this::next, 20, TimeUnit.MILLISECONDS);
            return;
        }
        long n = turn.getAndIncrement();
        Served slot = slots.get((int) (n % slots.size()));
        // The next request starts from the scheduler, never inside the previous one's signal.
        ledger.track(slot.clusterId(), request(slot, (n / slots.size()) % 3), () -> scheduler.schedule(this::next));
    }

    private Mono<?> request(Served slot, long kind) {
        SlotSession s = slot.session();
        if (kind == 0) {
            return s.sign(slot.hmacKey(), SignatureAlgorithm.HMAC_SHA256, message);
        }
        if (kind == 1) {
            return s.encrypt(slot.aesKey(), CipherAlgorithm.AES_GCM, message, aad);
        }
        return s.random(32);
    }
}
