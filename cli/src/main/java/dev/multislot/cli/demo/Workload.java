package dev.multislot.cli.demo;

import dev.multislot.api.AeadCiphertext;
import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.ClusterId;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.api.errors.SlotRemovedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The demo's mixed workload: a fixed number of workers, each running one request chain at a time
 * (ECDSA sign then verify, or AES-GCM encrypt then decrypt) on the slots in service, in turn.
 *
 * <p>A failure is expected only where the demo caused it: a request on a slot that the demo was
 * removing ending with "slot removed". Every other failure, and any wrong answer (a signature that
 * does not verify, a decryption that differs), is unexpected.
 */
final class Workload {

    /** A slot the workload uses: its session and the keys the demo made on it. */
    record ServedSlot(ClusterId clusterId, SlotSession session, KeyRef signingKey, KeyRef aesKey) {}

    private final Map<ClusterId, ServedSlot> serving = new ConcurrentHashMap<>();
    private final Map<ClusterId, SlotMetrics> metrics = new ConcurrentHashMap<>();
    private final Map<ClusterId, Boolean> leaving = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong turn = new AtomicLong();
    private final byte[] message = "Multislot demo: one service, many HSM clusters".getBytes(StandardCharsets.UTF_8);
    private final byte[] aad = "demo-aad".getBytes(StandardCharsets.UTF_8);
    private volatile List<ServedSlot> rotation = List.of();
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private Disposable running;

    /** Logs in is done by the caller; this makes the slot's keys and puts it into service. */
    static Mono<ServedSlot> prepare(ClusterId clusterId, SlotSession session) {
        return Mono.zip(session.generateKey(KeyType.EC_P256, "demo-signing"), session.generateKey(KeyType.AES_256, "demo-aes"))
                .map(keys -> new ServedSlot(clusterId, session, keys.getT1(), keys.getT2()));
    }

    void serve(ServedSlot slot) {
        metrics.computeIfAbsent(slot.clusterId(), SlotMetrics::new);
        serving.put(slot.clusterId(), slot);
        rotation = List.copyOf(serving.values());
    }

    /** The demo is about to remove this slot: no new requests go to it, failures from it are expected. */
    void retire(ClusterId clusterId) {
        leaving.put(clusterId, Boolean.TRUE);
        serving.remove(clusterId);
        rotation = List.copyOf(serving.values());
    }

    Map<ClusterId, SlotMetrics> metrics() {
        return metrics;
    }

    void start(int concurrency) {
        running = Flux.range(0, concurrency)
                .flatMap(worker -> Mono.defer(this::oneChain).repeat(() -> !stopped.get()), concurrency)
                .doFinally(signal -> finished.countDown())
                .subscribe();
    }

    /** Stops starting new chains; the ones running finish. */
    void stop() {
        stopped.set(true);
    }

    /** Ends the workload at once, cancelling what still runs. */
    void dispose() {
        stopped.set(true);
        if (running != null) {
            running.dispose();
        }
    }

    /** Waits on the calling (non-reactive) thread for the running chains to end after {@link #stop()}. */
    boolean awaitFinished(java.time.Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private Mono<Void> oneChain() {
        List<ServedSlot> slots = rotation;
        if (slots.isEmpty()) {
            return Mono.delay(java.time.Duration.ofMillis(20)).then();
        }
        long n = turn.getAndIncrement();
        ServedSlot slot = slots.get((int) (n % slots.size()));
        return (n / slots.size()) % 2 == 0 ? signThenVerify(slot) : encryptThenDecrypt(slot);
    }

    private Mono<Void> signThenVerify(ServedSlot slot) {
        return timed(slot, slot.session().sign(slot.signingKey(), SignatureAlgorithm.ECDSA_SHA256, message))
                .flatMap(sig -> timed(slot, slot.session().verify(slot.signingKey(), SignatureAlgorithm.ECDSA_SHA256, message, sig)))
                .doOnNext(valid -> {
                    if (!valid) {
                        metrics.get(slot.clusterId()).failed(false);
                    }
                })
                .then();
    }

    private Mono<Void> encryptThenDecrypt(ServedSlot slot) {
        return timed(slot, slot.session().encrypt(slot.aesKey(), CipherAlgorithm.AES_GCM, message, aad))
                .flatMap((AeadCiphertext ct) -> timed(slot, slot.session().decrypt(slot.aesKey(), CipherAlgorithm.AES_GCM, ct, aad)))
                .doOnNext(plain -> {
                    if (!Arrays.equals(plain, message)) {
                        metrics.get(slot.clusterId()).failed(false);
                    }
                })
                .then();
    }

    /** Records one request's latency or failure; a failure ends the chain quietly. */
    private <T> Mono<T> timed(ServedSlot slot, Mono<T> request) {
        SlotMetrics m = metrics.get(slot.clusterId());
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return request.doOnNext(v -> m.succeeded(System.nanoTime() - start))
                    .onErrorResume(e -> {
                        m.failed(isExpected(slot.clusterId(), e));
                        return Mono.empty();
                    });
        });
    }

    private boolean isExpected(ClusterId clusterId, Throwable e) {
        return leaving.containsKey(clusterId) && (e instanceof SlotRemovedException || e instanceof SlotNotFoundException);
    }
}
