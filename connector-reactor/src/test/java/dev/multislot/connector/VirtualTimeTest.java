package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.errors.HsmTimeoutException;
import dev.multislot.api.errors.SlotRemovedException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The builder's timer is the connector's one source of time: with a {@link VirtualTimeScheduler},
 * a request timeout of a minute, a breaker wait of an hour, busy-retry backoffs of up to an hour, a
 * half-hour reconnect delay, ten-minute close and drain graces and an hourly topology refresh pass
 * when the test says so, on real TLS connections to a real HSM, with no real waiting. Each delay is long
 * enough that a test run on the wall clock instead could not finish.
 */
class VirtualTimeTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(1);

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @AfterEach
    void healHsm() {
        cluster.hsm(0).faults().reset();
    }

    private static void close(ReactorHsmConnector connector) {
        connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
    }

    @Test
    void aMinuteLongRequestTimeoutAndAnHourLongBreakerWaitPassOnVirtualTime() throws Exception {
        VirtualClock time = new VirtualClock();
        ReactorHsmConnector connector = time.connect(Clusters.testOptions()
                .requestTimeout(REQUEST_TIMEOUT)
                .attemptTimeout(Duration.ofSeconds(20))
                .maxAttempts(100)
                .keepaliveInterval(Duration.ofHours(2))
                .breaker(b -> b.waitDurationInOpenState(Duration.ofHours(1)))
                .build(), Clusters.config(cluster));
        try {
            SlotSession session = Internals.loginEverywhere(connector.slots().get(0));
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "virtual").block(Duration.ofSeconds(10));
            cluster.hsm(0).faults().stall(true);
            long realStart = System.nanoTime();

            CompletableFuture<byte[]> stalled = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1))
                    .toFuture();
            Throwable error = time.advanceUntilDone(stalled, REQUEST_TIMEOUT.plusSeconds(1));
            assertThat(error).isInstanceOfAny(HsmTimeoutException.class, SlotUnavailableException.class)
                    .hasMessageContaining(cluster.clusterId());
            assertThat(Duration.ofNanos(System.nanoTime() - realStart)).as("real time spent")
                    .isLessThan(REQUEST_TIMEOUT);

            // The breaker waits on the same time: opened now, it lets a probe through only
            // once an hour has passed on the virtual clock.
            cluster.hsm(0).faults().stall(false);
            CircuitBreaker breaker = connector.circuitBreakerRegistry().getAllCircuitBreakers().iterator().next();
            breaker.transitionToOpenState();
            Throwable refused = time.advanceUntilDone(
                    session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(2)).toFuture(), Duration.ZERO);
            assertThat(refused).isInstanceOf(SlotUnavailableException.class);
            assertThat(((SlotUnavailableException) refused).errors().values())
                    .hasOnlyElementsOfType(HsmBreakerOpenException.class);
            time.advance(Duration.ofHours(1).plusSeconds(1));
            assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(3)).block(Duration.ofSeconds(10)))
                    .as("after the breaker's virtual hour, a probe goes through").isNotEmpty();
            assertThat(breaker.getState()).isIn(CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
        } finally {
            close(connector);
        }
    }

    @Test
    void busyRetriesWaitTheirBackoffOnVirtualTime() throws Exception {
        VirtualClock time = new VirtualClock();
        ReactorHsmConnector connector = time.connect(VirtualClock.patientOptions()
                .retryMode(RetryMode.STANDARD)
                .maxAttempts(4)
                .retryBackoff(Duration.ofHours(1))
                .retryBackoffMax(Duration.ofHours(1))
                .build(), Clusters.config(cluster));
        try {
            SlotSession session = Internals.loginEverywhere(connector.slots().get(0));
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "busy-virtual").block(Duration.ofSeconds(10));
            long before = cluster.hsm(0).stats().busyAnswers();
            cluster.hsm(0).faults().busy(true);

            CompletableFuture<byte[]> call = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1))
                    .toFuture();
            Await.until("the first busy answer", Duration.ofSeconds(10),
                    () -> cluster.hsm(0).stats().busyAnswers() - before == 1);
            time.advanceAndCheckStillNot("a retry with no virtual time passed",
                    () -> cluster.hsm(0).stats().busyAnswers() - before > 1, Duration.ZERO);

            // Three backoffs of up to an hour each (full jitter), in steps of a virtual quarter hour: only the
            // count of attempts is checked, so coarse steps cost nothing and each step costs real milliseconds.
            Throwable error = time.advanceUntilDone(call, Duration.ofHours(4), Duration.ofMinutes(15));
            assertThat(error).isInstanceOf(HsmThrottledException.class).hasMessageContaining("4 attempts");
            assertThat(cluster.hsm(0).stats().busyAnswers() - before).isEqualTo(4);
        } finally {
            close(connector);
        }
    }

    @Test
    void aLostConnectionIsReopenedWhenItsReconnectionScheduleSaysOnVirtualTime() {
        VirtualClock time = new VirtualClock();
        Duration delay = Duration.ofMinutes(30);
        ReactorHsmConnector connector = time.connect(VirtualClock.patientOptions()
                .reconnectionSchedules(() -> () -> delay)
                .build(), Clusters.config(cluster));
        Queue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        Disposable sub = connector.events().subscribe(events::add);
        try {
            Slot slot = connector.slots().get(0);
            SlotSession session = Internals.loginEverywhere(slot);
            cluster.hsm(0).faults().dropConnections();
            // The delay is timed from when the registry thread takes the HSM down (and publishes
            // HsmDown), which may be a moment after the connection closed.
            Await.until("the HSM to be down", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(SlotEvent.HsmDown.class::isInstance));
            Internals.awaitRegistry(slot);
            Duration lostAt = time.now();

            time.advanceAndCheckStillNot("the connection reopened",
                    () -> Internals.readyConnections(slot) > 0, delay.minusMinutes(1));
            time.advanceUntil("the connection to reopen", () -> Internals.readyConnections(slot) > 0,
                    Duration.ofMinutes(5), Duration.ofSeconds(30));

            assertThat(time.now().minus(lostAt)).isBetween(delay, delay.plusMinutes(5));
            assertThat(session.random(8).block(Duration.ofSeconds(10)))
                    .as("the reopened connection carries the login again").hasSize(8);
        } finally {
            sub.dispose();
            close(connector);
        }
    }

    @Test
    void closeLetsARequestInFlightRunForItsWholeGraceOnVirtualTime() throws Exception {
        VirtualClock time = new VirtualClock();
        Duration grace = Duration.ofMinutes(10);
        ReactorHsmConnector connector = time.connect(VirtualClock.patientOptions().build(), Clusters.config(cluster));
        Slot slot = connector.slots().get(0);
        CompletableFuture<byte[]> stalled = signOnStalledHsm(slot);

        CompletableFuture<Void> closed = connector.close(grace).toFuture();
        // The grace is timed from when the registry thread starts the close; let it.
        Internals.awaitRegistry(slot);
        time.advanceAndCheckStillNot("close done", closed::isDone, grace.minusMinutes(1));
        assertThat(stalled).as("the request in flight during the grace").isNotDone();

        assertThat(time.advanceUntilDone(closed, Duration.ofMinutes(5), Duration.ofSeconds(30))).isNull();
        assertThat(time.now()).isGreaterThanOrEqualTo(grace);
        assertThat(catchCause(stalled)).isInstanceOf(ConnectorClosedException.class);
    }

    @Test
    void aRemovedSlotDrainsForItsWholeGraceOnVirtualTime() throws Exception {
        VirtualClock time = new VirtualClock();
        Duration grace = Duration.ofMinutes(10);
        TestConfigSource source = new TestConfigSource(List.of(Clusters.config(cluster)));
        ReactorHsmConnector connector = time.connect(ReactorHsmConnector.builder()
                .options(VirtualClock.patientOptions().drainGracePeriod(grace).build())
                .configSource(source));
        Queue<SlotEvent> events = new ConcurrentLinkedQueue<>();
        Disposable sub = connector.events().subscribe(events::add);
        try {
            Slot slot = connector.slots().get(0);
            CompletableFuture<byte[]> stalled = signOnStalledHsm(slot);

            source.set(List.of());
            Await.until("the slot to drain", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(SlotEvent.SlotDraining.class::isInstance));
            Internals.awaitRegistry(slot);
            Duration drainFrom = time.now();
            time.advanceAndCheckStillNot("the slot removed",
                    () -> events.stream().anyMatch(SlotEvent.SlotRemoved.class::isInstance), grace.minusMinutes(1));
            assertThat(stalled).as("the request in flight during the grace").isNotDone();

            time.advanceUntil("the slot to be removed",
                    () -> events.stream().anyMatch(SlotEvent.SlotRemoved.class::isInstance),
                    Duration.ofMinutes(5), Duration.ofSeconds(30));
            assertThat(time.now().minus(drainFrom)).isBetween(grace, grace.plusMinutes(5));
            assertThat(events).filteredOn(SlotEvent.SlotRemoved.class::isInstance)
                    .singleElement().extracting(e -> ((SlotEvent.SlotRemoved) e).abandoned()).isEqualTo(1);
            assertThat(catchCause(stalled)).isInstanceOf(SlotRemovedException.class);
        } finally {
            sub.dispose();
            close(connector);
        }
    }

    @Test
    void periodicTopologyRefreshRunsOnItsIntervalOnVirtualTime() {
        VirtualClock time = new VirtualClock();
        Duration interval = Duration.ofHours(1);
        TestDiscovery discovery = new TestDiscovery(cluster, 0);
        ReactorHsmConnector connector = time.connect(ReactorHsmConnector.builder()
                .options(VirtualClock.patientOptions().topologyRefreshInterval(interval).build())
                .configSource(new TestConfigSource(List.of(Clusters.config(cluster))))
                .discovery(discovery));
        try {
            int initial = discovery.calls();

            // Each wait is the interval with a jitter of 20 % either way: 48 to 72 minutes, the first
            // one from when the slot planned it, a moment after the connector started.
            time.advanceAndCheckStillNot("a refresh", () -> discovery.calls() > initial, Duration.ofMinutes(47));
            time.advanceUntil("the first periodic refresh", () -> discovery.calls() > initial,
                    interval, Duration.ofMinutes(1));
            assertThat(time.now()).isGreaterThanOrEqualTo(Duration.ofMinutes(48));

            Duration first = time.now();
            time.advanceAndCheckStillNot("a second refresh", () -> discovery.calls() > initial + 1,
                    Duration.ofMinutes(47));
            // Planned by the first refresh's own timer task: no lag, so bounded on both sides.
            time.advanceUntil("the second periodic refresh", () -> discovery.calls() > initial + 1,
                    Duration.ofMinutes(26), Duration.ofMinutes(1));
            assertThat(time.now().minus(first)).isBetween(Duration.ofMinutes(47), Duration.ofMinutes(73));
        } finally {
            close(connector);
        }
    }

    /** Logs in, makes a key, stalls the HSM and returns a sign that is then in flight on it. */
    private static CompletableFuture<byte[]> signOnStalledHsm(Slot slot) {
        SlotSession session = Internals.loginEverywhere(slot);
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "stalled").block(Duration.ofSeconds(10));
        cluster.hsm(0).faults().stall(true);
        CompletableFuture<byte[]> stalled = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1))
                .toFuture();
        Await.until("the sign to be in flight", Duration.ofSeconds(10), () -> Internals.inFlight(slot) == 1);
        return stalled;
    }

    private static Throwable catchCause(CompletableFuture<?> call) throws InterruptedException {
        try {
            call.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + call.join());
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end", e);
        }
    }
}
