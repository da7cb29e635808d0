package dev.multislot.bench;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.bench.internal.BenchOp;
import dev.multislot.bench.internal.BenchUser;
import dev.multislot.bench.internal.ServerInfo;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The connector: {@link ReactorHsmConnector} with one connection per HSM (so that it holds as
 * many connections as the floor), its default event-loop threads, breakers, balancing and
 * retries on. A batch is {@code Flux.range(0, n).flatMap(op, inFlight)}, operation {@code i}
 * going to slot {@code i mod slots}: what an application using the reactive API writes.
 */
public class ConnectorBenchmark extends ClientBenchmark {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    /**
     * {@code off}: no registry (the default, what {@code bin/bench} measures); {@code on}: the
     * connector's meters on a {@link SimpleMeterRegistry}, with the default {@code MetricsOptions}
     * (per-HSM timers on), to show what recording costs.
     */
    @Param({"off"})
    public String metrics;

    private ReactorHsmConnector connector;
    private SlotSession[] sessions;
    private KeyRef[] keys;

    @Override
    protected void connect(ServerInfo info) throws Exception {
        List<ClusterConfig> configs = new ArrayList<>();
        for (ServerInfo.Cluster c : info.clusters()) {
            List<ServerConfig> servers = c.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList();
            configs.add(new ClusterConfig(ClusterId.of(c.id()), Optional.empty(), c.caFile(), servers,
                    Optional.empty(), Optional.empty()));
        }
        ReactorHsmConnector.Builder builder = ReactorHsmConnector.builder()
                .options(HsmConnectorOptions.builder()
                        .connectionsPerHsm(1)
                        .maxInFlightPerConnection(Math.max(HsmConnectorOptions.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION, inFlight))
                        .build())
                .configSource(ClusterConfigSource.fixed(configs));
        if ("on".equals(metrics)) {
            builder.meterRegistry(new SimpleMeterRegistry());
        } else if (!"off".equals(metrics)) {
            throw new IllegalArgumentException("metrics must be on or off, was " + metrics);
        }
        connector = builder.build();
        // Subscribed before connect() so that no HsmUp can be missed: the flux is hot.
        CompletableFuture<Void> allUp = connector.events()
                .filter(e -> e instanceof SlotEvent.HsmUp)
                .take(info.hsmCount())
                .then()
                .toFuture();
        connector.connect().block(SETUP_TIMEOUT);
        try {
            allUp.get(SETUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("not every HSM was up within " + SETUP_TIMEOUT + ": "
                    + connector.slots().stream().map(s -> s.health().toString()).toList());
        }
        sessions = new SlotSession[configs.size()];
        keys = new KeyRef[configs.size()];
        for (int i = 0; i < configs.size(); i++) {
            ClusterId id = configs.get(i).clusterId();
            sessions[i] = connector.requireSlot(id)
                    .flatMap(slot -> slot.login(Credentials.of(BenchUser.USER, BenchUser.password())))
                    .block(SETUP_TIMEOUT);
            keys[i] = sessions[i].generateKey(KeyType.EC_P256, "bench-connector").block(SETUP_TIMEOUT);
        }
        System.out.println("connector: " + info.hsmCount() + " HSMs, one connection each, "
                + connector.options().eventLoopThreads() + " event-loop threads");
    }

    @Override
    protected void run(BenchOp op, int operations) {
        Flux.range(0, operations)
                .flatMap(i -> one(op, i), inFlight)
                .then()
                .block(BATCH_TIMEOUT);
    }

    private Mono<?> one(BenchOp op, int i) {
        int s = i % sessions.length;
        long t0 = System.nanoTime();
        Mono<byte[]> m = op == BenchOp.RANDOM
                ? sessions[s].random(BenchOp.RANDOM_LENGTH)
                : sessions[s].sign(keys[s], SignatureAlgorithm.ECDSA_SHA256, message);
        return m.doOnNext(v -> latency.record(System.nanoTime() - t0));
    }

    /**
     * Diagnostic, not part of {@code bin/bench}'s matrix: {@link #random()} without the
     * {@code flatMap}. Each of {@code inFlight} reusable subscribers starts its next request when
     * its previous one ends, as the floor does, so the harness allocates nothing per request and
     * costs no {@code flatMap} drain. The difference to {@code random} is the cost of the
     * {@code flatMap} harness, not of the connector.
     */
    @Benchmark
    @OperationsPerInvocation(RANDOM_OPS)
    public void randomWindow(ClientCpu cpu) {
        WindowBatch batch = new WindowBatch(RANDOM_OPS, inFlight);
        for (int k = 0; k < inFlight; k++) {
            new WindowSlot(batch).next();
        }
        batch.await(BATCH_TIMEOUT);
        cpu.add(RANDOM_OPS);
    }

    /** One batch of {@link #randomWindow()}: hands out operation numbers, counts the ends. */
    private static final class WindowBatch {
        private final int operations;
        private final AtomicInteger issued = new AtomicInteger();
        private final CountDownLatch slotsDone;
        private final AtomicReference<Throwable> error =
                new AtomicReference<>();

        WindowBatch(int operations, int slots) {
            this.operations = operations;
            this.slotsDone = new CountDownLatch(slots);
        }

        void await(Duration timeout) {
            try {
                if (!slotsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("window batch not done within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (error.get() != null) {
                throw new IllegalStateException("window batch failed: " + error.get(), error.get());
            }
        }
    }

    /** A reusable subscriber: one request at a time, the next one started when one ends. */
    private final class WindowSlot implements CoreSubscriber<byte[]> {
        private final WindowBatch batch;
        private long startedAt;

        WindowSlot(WindowBatch batch) {
            this.batch = batch;
        }

        void next() {
            int i = batch.issued.getAndIncrement();
            if (i >= batch.operations || batch.error.get() != null) {
                batch.slotsDone.countDown();
                return;
            }
            int s = i % sessions.length;
            startedAt = System.nanoTime();
            sessions[s].random(BenchOp.RANDOM_LENGTH).subscribe(this);
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(byte[] value) {
            latency.record(System.nanoTime() - startedAt);
        }

        @Override
        public void onError(Throwable t) {
            batch.error.compareAndSet(null, t);
            batch.slotsDone.countDown();
        }

        @Override
        public void onComplete() {
            next();
        }
    }

    @Override
    protected void disconnect() {
        if (connector != null) {
            connector.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(30));
        }
    }
}
