package dev.multislot.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.Credentials;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.SlotEvent;
import dev.multislot.cli.ConfigurePkcs11;
import dev.multislot.cli.LocalBackend;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.TokenBackend;
import dev.multislot.local.LocalHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The main job: everything Multislot does, live, on hsm-local.
 *
 * <p>Two clusters of three HSMs and a CloudHSM control plane start on loopback; {@code add-cluster}
 * writes both into a config file through the real CLI code path; a connector watching that file
 * runs a mixed workload on every slot while the script adds a third cluster, kills an HSM, brings
 * it back and removes a cluster. Every request that fails without the script having caused it
 * counts as unexpected, and makes the demo exit with 1.
 */
public final class Demo {

    static final String REGION = "us-east-1";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration duration;
    private final int concurrency;
    private final boolean json;
    private final LocalBackend backend;
    private final Integer prometheusPort;
    private final PrintStream human;
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final StepWatch steps = new StepWatch();
    /** What the script runs for each step: the step itself, except in the test that makes one fail. */
    private UnaryOperator<ScriptedStep> stepHook = UnaryOperator.identity();

    /**
     * @param backend what keeps each cluster's keys
     * @param prometheusPort where to serve {@code GET /metrics}, 0 for any free port; null for none
     */
    public Demo(Duration duration, int concurrency, boolean json, LocalBackend backend, Integer prometheusPort) {
        this.duration = duration;
        this.concurrency = concurrency;
        this.json = json;
        this.backend = backend;
        this.prometheusPort = prometheusPort;
        this.human = json ? System.err : System.out;
    }

    /** For the test that proves a step that does not happen fails the demo: replaces steps before they run. */
    Demo replacingSteps(UnaryOperator<ScriptedStep> hook) {
        this.stepHook = hook;
        return this;
    }

    /** Asks a running demo to stop early and clean up (Ctrl-C). */
    public void interrupt() {
        interrupted.countDown();
    }

    /**
     * Runs the demo; returns the process exit code: 0 when every scripted step's event came within
     * its bound and no request failed unexpectedly, else 1.
     */
    public int run() throws Exception {
        Path work = Files.createTempDirectory("multislot-demo-");
        Path config = work.resolve("cloudhsm-pkcs11.cfg");
        Instant start = Instant.now();
        EventLog events = new EventLog(start, human);
        Scheduler output = Schedulers.newBoundedElastic(1, 10_000, "demo-output");
        List<LocalCluster> clusters = new ArrayList<>();
        LocalControlPlane controlPlane = null;
        HsmConnector connector = null;
        Disposable progress = null;
        PrometheusEndpoint metrics = null;
        Workload workload = new Workload();
        try {
            if (prometheusPort != null) {
                metrics = PrometheusEndpoint.start(prometheusPort);
                human.println("== metrics: Prometheus scrape at http://127.0.0.1:" + metrics.port() + "/metrics");
            }
            human.println("== Multislot demo: starting hsm-local (3 clusters of 3 HSMs, a CloudHSM control plane, "
                    + backend.description() + ") in " + work);
            controlPlane = LocalControlPlane.start();
            TokenBackend tokens = backend.tokens(work);
            for (String id : List.of("cluster-alpha01", "cluster-bravo02", "cluster-charlie3")) {
                LocalCluster c;
                try {
                    c = LocalCluster.start(LocalClusterSpec.builder().clusterId(id).hsmCount(3)
                            .directory(work.resolve(id)).token(tokens).build());
                } catch (IllegalArgumentException | IllegalStateException e) {
                    System.err.println("error: cannot start hsm-local with --backend " + backend.optionValue() + ": " + e.getMessage());
                    return 1;
                }
                clusters.add(c);
                controlPlane.host(c, REGION);
                human.println("   " + id + ": HSMs " + c.hsms().stream().map(h -> h.host() + ":" + h.port()).toList()
                        + ", CA " + c.caFile() + c.tokenLabel().map(l -> ", PKCS#11 token '" + l + "' ("
                        + c.softHsm2Config().map(f -> "SOFTHSM2_CONF=" + f).orElse("") + ")").orElse(""));
            }
            LocalCluster alpha = clusters.get(0);
            LocalCluster bravo = clusters.get(1);
            LocalCluster charlie = clusters.get(2);

            human.println("== configure-pkcs11 add-cluster for two clusters, against the local control plane at " + controlPlane.endpoint());
            addCluster(alpha, controlPlane, config);
            addCluster(bravo, controlPlane, config);
            human.println("== " + config + ":");
            human.println(Files.readString(config));

            human.println("== connecting: an HsmConnector watches the config file");
            FileClusterConfigSource source = FileClusterConfigSource.watch(config);
            ReactorHsmConnector.Builder builder = ReactorHsmConnector.builder()
                    .options(HsmConnectorOptions.builder().clientName("multislot-demo").build())
                    .configSource(source);
            if (metrics != null) {
                builder.meterRegistry(metrics.registry());
            }
            connector = builder
                    .build()
                    .connect()
                    .block(STEP_TIMEOUT);
            HsmConnector live = connector;
            live.events().publishOn(output).subscribe(e -> {
                steps.record(e);
                events.record(e);
                if (e instanceof SlotEvent.SlotAdded added && workload.metrics().get(added.clusterId()) == null) {
                    putInService(live, added.clusterId(), workload, events);
                }
            });
            for (var slot : live.slots()) {
                putInService(live, slot.clusterId(), workload, events);
            }
            awaitServing(workload, alpha.clusterId(), bravo.clusterId());

            human.printf("== workload: %d concurrent request chains (ECDSA P-256 sign+verify, AES-GCM encrypt+decrypt) for %s%n",
                    concurrency, duration);
            workload.start(concurrency);
            // The script's clock starts with the workload: setting up hsm-local takes a while.
            Instant t0 = Instant.now();
            progress = Flux.interval(Duration.ofSeconds(1), Duration.ofSeconds(1), output)
                    .subscribe(tick -> human.println(progressLine(start, workload)));

            long total = duration.toMillis();
            LocalControlPlane cp = controlPlane;
            LocalHsm victim = alpha.hsm(0);
            HsmAddress victimAddress = new HsmAddress(victim.host(), victim.port());
            List<ScriptedStep> script = List.of(
                    new ScriptedStep("add-cluster " + charlie.clusterId() + " (hot reload: no restart)",
                            "SlotAdded for " + charlie.clusterId(), e -> e instanceof SlotEvent.SlotAdded a
                                    && a.clusterId().value().equals(charlie.clusterId()),
                            () -> addCluster(charlie, cp, config)),
                    new ScriptedStep("kill HSM " + victimAddress + " of " + alpha.clusterId() + " (failover)",
                            "HsmDown for " + victimAddress, e -> e instanceof SlotEvent.HsmDown d && d.hsm().equals(victimAddress),
                            victim::stop),
                    new ScriptedStep("bring HSM " + victimAddress + " back", "HsmUp for " + victimAddress,
                            e -> e instanceof SlotEvent.HsmUp u && u.hsm().equals(victimAddress), victim::start),
                    new ScriptedStep("remove-cluster " + bravo.clusterId() + " (its slot drains and disappears)",
                            "SlotRemoved for " + bravo.clusterId(), e -> e instanceof SlotEvent.SlotRemoved r
                                    && r.clusterId().value().equals(bravo.clusterId()),
                            () -> {
                                workload.retire(ClusterId.of(bravo.clusterId()));
                                removeCluster(bravo, config);
                            }));
            String missed = null;
            for (int i = 0; i < script.size() && missed == null; i++) {
                if (!pause(t0, (i + 1) * total / 5)) {
                    break;
                }
                ScriptedStep step = stepHook.apply(script.get(i));
                events.step(step.name());
                int mark = steps.mark();
                step.action().run();
                if (!steps.await(mark, step.happened(), step.bound())) {
                    missed = step.missed().getMessage();
                    events.step("FAILED: " + missed);
                }
            }
            if (missed == null) {
                pause(t0, total);
            }
            workload.stop();
            if (!workload.awaitFinished(STEP_TIMEOUT)) {
                human.println("   (some request chains were still running after " + STEP_TIMEOUT + ")");
            }
            progress.dispose();
            human.println(progressLine(start, workload));
            if (metrics != null) {
                metrics.freeze();
            }

            Summary summary = Summary.of(workload, clusters, events, Duration.between(start, Instant.now()));
            human.println();
            human.println(summary.table());
            if (json) {
                System.out.println(JSON.writeValueAsString(summary.toJson()));
            }
            if (missed != null) {
                System.err.println("demo: " + missed);
                return 1;
            }
            return summary.unexpectedFailures() == 0 ? 0 : 1;
        } finally {
            workload.dispose();
            if (progress != null) {
                progress.dispose();
            }
            if (connector != null) {
                connector.close(Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
            }
            for (LocalCluster c : clusters) {
                c.close();
            }
            if (controlPlane != null) {
                controlPlane.close();
            }
            output.dispose();
            if (metrics != null) {
                metrics.close();
            }
            deleteQuietly(work);
        }
    }

    /** Waits until {@code millis} after the start; false if the demo was interrupted first. */
    private boolean pause(Instant start, long millis) throws InterruptedException {
        long left = millis - Duration.between(start, Instant.now()).toMillis();
        return left <= 0 ? interrupted.getCount() > 0 : !interrupted.await(left, TimeUnit.MILLISECONDS);
    }

    private void awaitServing(Workload workload, String... clusterIds) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        for (String id : clusterIds) {
            while (!workload.metrics().containsKey(ClusterId.of(id))) {
                if (System.nanoTime() > deadline || interrupted.await(20, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("slot " + id + " did not come into service within " + STEP_TIMEOUT);
                }
            }
        }
    }

    private static void putInService(HsmConnector connector, ClusterId clusterId, Workload workload, EventLog events) {
        connector.requireSlot(clusterId)
                .flatMap(slot -> slot.login(Credentials.of(LocalClusterSpec.DEFAULT_USERNAME,
                        LocalClusterSpec.DEFAULT_PASSWORD.toCharArray())))
                .flatMap(session -> Workload.prepare(clusterId, session))
                .subscribe(workload::serve, e -> events.step("could not put " + clusterId + " in service: " + e.getMessage()));
    }

    private void addCluster(LocalCluster cluster, LocalControlPlane controlPlane, Path config) {
        runCli("add-cluster", "--cluster-id", cluster.clusterId(), "--region", REGION,
                "--endpoint", controlPlane.endpoint().toString(), "--hsm-ca-cert", cluster.caFile().toString(),
                "--config-file", config.toString());
    }

    private void removeCluster(LocalCluster cluster, Path config) {
        runCli("remove-cluster", "--cluster-id", cluster.clusterId(), "--config-file", config.toString());
    }

    /** Runs configure-pkcs11 in this process, through the same code as bin/configure-pkcs11. */
    private void runCli(String... args) {
        PrintWriter out = new PrintWriter(human, true);
        int code = ConfigurePkcs11.run(args, Map.of(), out, out, LocalDiscovery::create);
        if (code != 0) {
            throw new IllegalStateException("configure-pkcs11 " + String.join(" ", args) + " exited with " + code);
        }
    }

    private static String progressLine(Instant start, Workload workload) {
        StringBuilder sb = new StringBuilder(String.format("  [%5.1fs]", Duration.between(start, Instant.now()).toMillis() / 1000.0));
        workload.metrics().values().stream().sorted(Comparator.comparing(m -> m.clusterId().value())).forEach(m -> {
            SlotMetrics.Snapshot s = m.sample();
            sb.append(String.format(" | %s %5d req/s p99 %6.2f ms err %d", m.clusterId(), s.requests(), s.p99Millis(), s.failures()));
        });
        return sb.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temp dir left behind is harmless.
        }
    }

    static Map<String, Object> ordered() {
        return new LinkedHashMap<>();
    }
}
