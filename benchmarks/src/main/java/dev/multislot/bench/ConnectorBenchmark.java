package dev.multislot.bench;

import dev.multislot.api.BreakerState;
import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * The connector: {@link ReactorHsmConnector} with one connection per HSM (so that it holds as
 * many connections as the floor), its default event-loop threads, breakers, balancing and
 * retries on, through its public {@link SlotSession} API; operation {@code i} goes to slot
 * {@code i mod slots}. Its requests per flush come from {@link ConnectorWireCounter}.
 */
public class ConnectorBenchmark extends PipelinedBenchmark {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration BREAKER_POLL = Duration.ofMillis(100);

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
        connector = ReactorHsmConnector.builder()
                .options(HsmConnectorOptions.builder()
                        .connectionsPerHsm(1)
                        .maxInFlightPerConnection(Math.max(HsmConnectorOptions.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION, inFlight))
                        .build())
                .configSource(ClusterConfigSource.fixed(configs))
                .build();
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
        awaitBreakersClosed(configs);
        RequestsPerFlush.measure(ConnectorWireCounter.of(connector).orElse(null));
        System.out.println("connector: " + info.hsmCount() + " HSMs, one connection each, "
                + connector.options().eventLoopThreads() + " event-loop threads");
    }

    /**
     * A connection attempt that failed during setup (a TLS handshake timing out on a loaded
     * machine) leaves its HSM's breaker open or half open, and a half-open breaker refuses all but
     * a few of a window's requests: the trial would measure the breaker, or fail. So setup sends
     * one request at a time to each slot until every breaker is closed.
     */
    private void awaitBreakersClosed(List<ClusterConfig> configs) {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        for (int i = 0; i < configs.size(); i++) {
            Slot slot = connector.slot(configs.get(i).clusterId()).orElseThrow();
            while (!slot.health().hsms().stream().allMatch(h -> h.connected() && h.breaker() == BreakerState.CLOSED)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("breakers not closed within " + SETUP_TIMEOUT + ": " + slot.health());
                }
                Boolean answered = sessions[i].random(BenchOp.RANDOM_LENGTH).map(b -> true)
                        .onErrorResume(e -> Mono.delay(BREAKER_POLL).thenReturn(false))
                        .block(SETUP_TIMEOUT);
                if (!Boolean.TRUE.equals(answered)) {
                    System.out.println("connector: waiting for " + slot.health() + " to close its breakers");
                }
            }
        }
    }

    @Override
    protected Mono<?> call(BenchOp op, int i) {
        int s = i % sessions.length;
        return op == BenchOp.RANDOM
                ? sessions[s].random(BenchOp.RANDOM_LENGTH)
                : sessions[s].sign(keys[s], SignatureAlgorithm.ECDSA_SHA256, message);
    }

    @Override
    protected void disconnect() {
        if (connector != null) {
            connector.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(30));
        }
    }
}
