package dev.multislot.cli.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.SlotEvent;
import dev.multislot.config.ConfigFile;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalClusterSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code multislot soak}: hsm-local clusters behind fault proxies, a connector that watches a
 * config file, a stateless workload, and {@link Chaos} turning every {@link #TURN} for the whole
 * duration. The figures at the start are taken after a warm-up without chaos; at the end, once
 * the chaos has been undone and every request has had time to end.
 */
public final class Soak {

    static final Duration TURN = Duration.ofMillis(1500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration duration;
    private final int workers;
    private final boolean json;
    private final long seed;
    private final PrintStream human;
    private final CountDownLatch interrupted = new CountDownLatch(1);

    public Soak(Duration duration, int workers, boolean json, long seed) {
        this.duration = duration;
        this.workers = workers;
        this.json = json;
        this.seed = seed;
        this.human = json ? System.err : System.out;
    }

    /** Asks a running soak to stop early (Ctrl-C); it still reports. */
    public void interrupt() {
        interrupted.countDown();
    }

    /** Runs the soak; returns the exit code: 0 when nothing was lost, doubled or failed unexpectedly. */
    public int run() throws Exception {
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("multislot-soak-");
        Path configFile = work.resolve("cloudhsm-pkcs11.cfg");
        Files.writeString(configFile, ConfigFile.empty().toJson());
        ConfigStore store = ConfigStore.at(configFile);
        RequestLedger ledger = new RequestLedger();
        Scheduler scheduler = Schedulers.newParallel("soak-workload", 2);
        SoakWorkload workload = new SoakWorkload(ledger, scheduler);
        Chaos chaos = new Chaos(store, work, seed, workload, ledger, line -> human.println("   " + elapsed(started) + " " + line));
        HsmConnector connector = null;
        try {
            human.println("== Multislot soak for " + duration + ": hsm-local behind fault proxies, seed " + seed + ", in " + work);
            for (int i = 0; i < 3; i++) {
                chaos.addCluster();
            }
            connector = ReactorHsmConnector.builder()
                    .options(HsmConnectorOptions.builder().clientName("multislot-soak")
                            .requestTimeout(REQUEST_TIMEOUT)
                            .attemptTimeout(Duration.ofSeconds(2))
                            .connectTimeout(Duration.ofSeconds(3))
                            .reconnectMaxDelay(Duration.ofSeconds(2))
                            .drainGracePeriod(Duration.ofSeconds(3))
                            .build())
                    .configSource(FileClusterConfigSource.watch(configFile))
                    .build()
                    .connect()
                    .block(STEP_TIMEOUT);
            HsmConnector live = connector;
            live.events().subscribe(e -> {
                if (e instanceof SlotEvent.SlotAdded added) {
                    putInService(live, added.clusterId(), workload, ledger);
                } else if (e instanceof SlotEvent.SlotRemoved removed) {
                    chaos.slotRemoved(removed.clusterId());
                }
            });
            live.slots().forEach(slot -> putInService(live, slot.clusterId(), workload, ledger));
            awaitInService(workload, chaos);

            workload.start(workers);
            Duration warmUp = Duration.ofMillis(Math.min(10_000, duration.toMillis() / 6));
            human.println("== workload: " + workers + " workers (HMAC sign, AES-GCM encrypt, random); warm-up " + warmUp);
            interrupted.await(warmUp.toMillis(), TimeUnit.MILLISECONDS);
            ProcessSample start = ProcessSample.now();
            human.println("== chaos every " + TURN.toMillis() + " ms; start: " + describe(start));
            long chaosStart = System.nanoTime();
            long end = chaosStart + duration.minus(warmUp).toNanos();
            long nextProgress = chaosStart + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end && !interrupted.await(TURN.toMillis(), TimeUnit.MILLISECONDS)) {
                chaos.turn();
                if (System.nanoTime() > nextProgress) {
                    nextProgress += Duration.ofSeconds(10).toNanos();
                    human.printf("  [%s] requests %d, open %d, unexpected failures %d, clusters %d%n", elapsed(started),
                            ledger.requests(), ledger.open(), ledger.unexpectedFailures(), chaos.clusters().size());
                }
            }
            chaos.calm();
            workload.stop();
            awaitQuiet(ledger);
            ProcessSample finish = ProcessSample.now();
            SoakReport report = new SoakReport((System.nanoTime() - started) / 1e9, seed, ledger.requests(),
                    ledger.succeeded(), ledger.open(), ledger.doubled(), ledger.unexpectedFailures(),
                    ledger.expectedFailures(), chaos, start, finish, ledger.unexpectedSamples());
            human.println();
            human.print(report.table());
            if (json) {
                System.out.println(JSON.writeValueAsString(report.toJson()));
            }
            return report.ok() ? 0 : 1;
        } finally {
            workload.stop();
            if (connector != null) {
                connector.close(Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
            }
            chaos.closeAll();
            scheduler.dispose();
            deleteQuietly(work);
        }
    }

    private static void putInService(HsmConnector connector, ClusterId clusterId, SoakWorkload workload, RequestLedger ledger) {
        if (workload.isServing(clusterId)) {
            return;
        }
        connector.requireSlot(clusterId)
                .flatMap(slot -> slot.login(Credentials.of(LocalClusterSpec.DEFAULT_USERNAME,
                        LocalClusterSpec.DEFAULT_PASSWORD.toCharArray())))
                .flatMap(session -> SoakWorkload.prepare(clusterId, session))
                .subscribe(workload::serve, e -> ledger.setupFailed(clusterId, e));
    }

    private void awaitInService(SoakWorkload workload, Chaos chaos) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!chaos.clusters().stream().allMatch(c -> workload.isServing(c.id()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the first clusters did not come into service within " + STEP_TIMEOUT);
            }
            if (interrupted.await(20, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("interrupted while starting");
            }
        }
    }

    /** Every request the connector still holds ends within its request timeout; wait that long at most. */
    private void awaitQuiet(RequestLedger ledger) throws InterruptedException {
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(10).toNanos();
        while (ledger.open() > 0 && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS); // polls a counter; the requests end on their own
        }
    }

    private static String describe(ProcessSample s) {
        return String.format("RSS %.1f MB, %d threads, %d fds", s.rssMegabytes(), s.threads(), s.fds());
    }

    private static String elapsed(long started) {
        return String.format("%6.1fs", (System.nanoTime() - started) / 1e9);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temp dir left behind is harmless.
        }
    }
}
