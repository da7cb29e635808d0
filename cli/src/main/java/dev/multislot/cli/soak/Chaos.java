package dev.multislot.cli.soak;

import dev.multislot.api.ClusterId;
import dev.multislot.cli.soak.SoakCluster.Disturbance;
import dev.multislot.config.ConfigStore;
import dev.multislot.local.LocalHsm;
import dev.multislot.local.faults.Direction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The trouble the soak makes, one turn at a time, on its own thread (it blocks: HSMs start and
 * stop, files are written). Each turn either adds or removes a cluster, or picks a cluster in
 * service and undoes what it did to it last, or disturbs one of its HSMs: kills it, stalls its
 * connections, slows them, resets them mid-frame, half-closes them, or disables the server in the
 * config file. At most one HSM per cluster is disturbed at a time, so every slot always has HSMs
 * to fail over to; that is what lets the soak call any failure of a stateless request unexpected.
 */
final class Chaos {

    static final int MIN_CLUSTERS = 2;
    static final int MAX_CLUSTERS = 4;
    private static final int STRUCTURE_EVERY = 8;

    final AtomicLong hsmRestarts = new AtomicLong();
    final AtomicLong configChanges = new AtomicLong();
    final AtomicLong stalls = new AtomicLong();
    final AtomicLong slowdowns = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
    final AtomicLong halfCloses = new AtomicLong();
    final AtomicLong clustersAdded = new AtomicLong();
    final AtomicLong clustersRemoved = new AtomicLong();

    private final List<SoakCluster> clusters = new ArrayList<>();
    private final List<SoakCluster> leaving = new ArrayList<>();
    private final Map<ClusterId, Boolean> removedSlots = new ConcurrentHashMap<>();
    private final ConfigStore config;
    private final Path work;
    private final Random random;
    private final SoakWorkload workload;
    private final RequestLedger ledger;
    private final Consumer<String> log;
    private static final List<Integer> ACTIONS = List.of(0, 1, 2, 3, 4, 5);
    private final List<Integer> cycle = new ArrayList<>(ACTIONS);
    private long disturbances;
    private long turn;
    private int nextClusterNumber;

    Chaos(ConfigStore config, Path work, long seed, SoakWorkload workload, RequestLedger ledger, Consumer<String> log) {
        this.config = config;
        this.work = work;
        this.random = new Random(seed);
        this.workload = workload;
        this.ledger = ledger;
        this.log = log;
    }

    /** Starts a new cluster and writes it into the config file. */
    SoakCluster addCluster() {
        String id = String.format("cluster-soak%03d", ++nextClusterNumber);
        SoakCluster c = SoakCluster.start(id, work.resolve(id));
        clusters.add(c);
        config.update(file -> file.withCluster(c.config(-1)));
        configChanges.incrementAndGet();
        clustersAdded.incrementAndGet();
        log.accept("add " + id);
        return c;
    }

    /** The connector reported this slot removed: its cluster may now be closed. */
    void slotRemoved(ClusterId id) {
        removedSlots.put(id, Boolean.TRUE);
    }

    List<SoakCluster> clusters() {
        return List.copyOf(clusters);
    }

    void turn() {
        turn++;
        closeRemoved();
        for (SoakCluster c : clusters) {
            c.inService = c.inService || workload.isServing(c.id());
        }
        if (turn % STRUCTURE_EVERY == 0) {
            // Removals and additions alternate, within MIN..MAX clusters, so a short run sees both.
            boolean add = clusters.size() < MAX_CLUSTERS && (clusters.size() <= MIN_CLUSTERS || (turn / STRUCTURE_EVERY) % 2 == 0);
            if (add) {
                addCluster();
            } else if (clusters.size() > MIN_CLUSTERS) {
                removeCluster();
            }
            return;
        }
        List<SoakCluster> candidates = clusters.stream().filter(c -> c.inService).toList();
        if (candidates.isEmpty()) {
            return;
        }
        SoakCluster c = candidates.get(random.nextInt(candidates.size()));
        if (c.disturbed >= 0) {
            undo(c);
        } else {
            disturb(c, random.nextInt(SoakCluster.HSMS));
        }
    }

    private void disturb(SoakCluster c, int hsm) {
        // The kinds of trouble come round in a shuffled cycle, so even a short run sees each of them.
        if (disturbances % ACTIONS.size() == 0) {
            Collections.shuffle(cycle, random);
        }
        int action = cycle.get((int) (disturbances++ % ACTIONS.size()));
        String what = c.id() + " HSM " + hsm;
        switch (action) { // the cycle's numbers: kill, stall, slow, reset, half-close, disable
            case 0 -> {
                c.local().hsm(hsm).stop();
                mark(c, hsm, Disturbance.KILLED, "kill " + what);
            }
            case 1 -> {
                c.proxy(hsm).stall();
                stalls.incrementAndGet();
                mark(c, hsm, Disturbance.STALLED, "stall " + what);
            }
            case 2 -> {
                c.proxy(hsm).latency(Duration.ofMillis(20), Duration.ofMillis(60)).bandwidth(256 * 1024);
                slowdowns.incrementAndGet();
                mark(c, hsm, Disturbance.SLOWED, "slow " + what);
            }
            case 3 -> {
                c.proxy(hsm).resetMidFrame(random.nextBoolean() ? Direction.TO_CLIENT : Direction.TO_HSM);
                resets.incrementAndGet();
                log.accept("reset " + what);
            }
            case 4 -> {
                c.proxy(hsm).halfClose();
                halfCloses.incrementAndGet();
                log.accept("half-close " + what);
            }
            default -> {
                config.update(file -> file.withCluster(c.config(hsm)));
                configChanges.incrementAndGet();
                mark(c, hsm, Disturbance.DISABLED_IN_CONFIG, "disable in config " + what);
            }
        }
    }

    private void mark(SoakCluster c, int hsm, Disturbance d, String line) {
        c.disturbed = hsm;
        c.disturbance = d;
        log.accept(line);
    }

    private void undo(SoakCluster c) {
        int hsm = c.disturbed;
        switch (c.disturbance) {
            case KILLED -> {
                LocalHsm h = c.local().hsm(hsm);
                h.start();
                hsmRestarts.incrementAndGet();
            }
            case STALLED, SLOWED -> c.proxy(hsm).heal();
            case DISABLED_IN_CONFIG -> {
                config.update(file -> file.withCluster(c.config(-1)));
                configChanges.incrementAndGet();
            }
        }
        log.accept("restore " + c.id() + " HSM " + hsm + " (" + c.disturbance + ")");
        c.disturbed = -1;
        c.disturbance = null;
    }

    private void removeCluster() {
        List<SoakCluster> candidates = clusters.stream().filter(c -> c.inService).toList();
        if (candidates.isEmpty()) {
            return;
        }
        SoakCluster c = candidates.get(random.nextInt(candidates.size()));
        if (c.disturbed >= 0) {
            undo(c);
        }
        workload.retire(c.id());
        ledger.retire(c.id());
        c.leaving = true;
        clusters.remove(c);
        leaving.add(c);
        config.update(file -> file.withoutCluster(c.id()));
        configChanges.incrementAndGet();
        clustersRemoved.incrementAndGet();
        log.accept("remove " + c.id());
    }

    /** Clusters whose slot is gone are closed; until then their HSMs keep serving what drains. */
    private void closeRemoved() {
        leaving.removeIf(c -> {
            if (removedSlots.remove(c.id()) != null) {
                c.close();
                return true;
            }
            return false;
        });
    }

    /** Undoes every disturbance, so the last requests run on a healthy fleet. */
    void calm() {
        for (SoakCluster c : clusters) {
            if (c.disturbed >= 0) {
                undo(c);
            }
        }
    }

    /** Closes every cluster, including those still draining. */
    void closeAll() {
        clusters.forEach(SoakCluster::close);
        leaving.forEach(SoakCluster::close);
        clusters.clear();
        leaving.clear();
    }
}
