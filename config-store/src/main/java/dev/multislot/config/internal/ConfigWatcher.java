package dev.multislot.config.internal;

import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ConfigDiff;
import dev.multislot.api.spi.ConfigUpdate;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of the watcher thread: waits for directory events (and polls as a fallback), debounces
 * them, re-reads the file and publishes a {@link WatchState} when the outcome changes.
 *
 * <p>Rules, all enforced here and only on this thread:
 * <ul>
 *   <li>A change is read once no event came for the debounce time (at most 10 debounce times, and
 *       at least a second, after the first event), so a burst of writes gives one read.</li>
 *   <li>A refused file, or a file deleted while clusters are configured, must be seen twice, one
 *       debounce time apart, with the same file signature, before it counts: an editor that
 *       truncates and then writes, or a tool that deletes and then creates, is not reported.</li>
 *   <li>The directory watched is the file's own, or, while that is missing, its nearest existing
 *       ancestor; each level that appears is followed down.</li>
 *   <li>Every poll interval the file's signature (existence, size, modification time, inode) is
 *       compared to the one last read; while the file is refused it is re-read at each poll, since
 *       what was wrong may be outside it (a CA file created later).</li>
 * </ul>
 */
public final class ConfigWatcher implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long MIN_MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_DEPTH = 256;

    private final Path file;
    private final String source;
    private final long debounceNanos;
    private final long maxDelayNanos;
    private final long pollNanos;
    private final Function<Path, Outcome> evaluator;
    private final Consumer<WatchState> publisher;
    private final WatchService watchService;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Optional<List<ClusterConfig>> inForce = Optional.empty();
    private ConfigUpdate.Rejected rejection;
    private FileSignature readSignature;
    private Pending pending;
    private long dueAt = -1;
    private long dirtySince = -1;
    private WatchKey key;
    private Path watchedDir;
    /** The watch service refused {@link #watchedDir}; polling covers it until the directory to watch changes. */
    private boolean registrationFailed;
    /** What the evaluator last threw: logged with its stack trace once, not at every poll while it lasts. */
    private String evaluatorError;

    private record Pending(Outcome outcome, FileSignature signature, long since) {
    }

    /**
     * @param file the config file, absolute and normalized
     * @param watchService where directory events come from, or {@code null} to poll only
     */
    public ConfigWatcher(Path file, Duration debounce, Duration pollInterval, Function<Path, Outcome> evaluator,
                         Consumer<WatchState> publisher, WatchService watchService) {
        this.file = file;
        this.source = file.toString();
        this.debounceNanos = debounce.toNanos();
        this.maxDelayNanos = Math.max(10 * debounceNanos, MIN_MAX_DELAY_NANOS);
        this.pollNanos = pollInterval.toNanos();
        this.evaluator = evaluator;
        this.publisher = publisher;
        this.watchService = watchService;
    }

    /** Makes {@link #run()} return soon; the owner closes the watch service too. */
    public void stop() {
        stopped.countDown();
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public void run() {
        try {
            follow();
            long now = System.nanoTime();
            evaluate(now);
            long nextPollAt = now + pollNanos;
            while (!isStopped()) {
                now = System.nanoTime();
                long wakeAt = dueAt >= 0 ? Math.min(nextPollAt, dueAt) : nextPollAt;
                WatchKey signalled = waitForEvent(Math.max(0, wakeAt - now));
                now = System.nanoTime();
                while (signalled != null) {
                    handle(signalled, now);
                    signalled = watchService.poll();
                }
                if (now - nextPollAt >= 0) {
                    poll(now);
                    nextPollAt = now + pollNanos;
                }
                if (dueAt >= 0 && now - dueAt >= 0) {
                    dueAt = -1;
                    dirtySince = -1;
                    evaluate(now);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the owner stops us this way
        } catch (RuntimeException | Error e) {
            if (!isStopped()) {
                log.error("the watcher of {} stopped on an unexpected error; changes to the file are no longer seen", file, e);
            }
        } finally {
            if (key != null) {
                key.cancel();
            }
        }
    }

    private WatchKey waitForEvent(long nanos) throws InterruptedException {
        if (watchService == null) {
            stopped.await(nanos, TimeUnit.NANOSECONDS);
            return null;
        }
        return watchService.poll(nanos, TimeUnit.NANOSECONDS);
    }

    private void handle(WatchKey signalled, long now) {
        Path dir = (Path) signalled.watchable();
        boolean ownDir = dir.equals(file.getParent());
        boolean refollow = false;
        for (WatchEvent<?> event : signalled.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                markDirty(now);
                refollow = true;
            } else if (ownDir && file.getFileName().equals(event.context())) {
                markDirty(now);
            } else if (!ownDir && dir.equals(watchedDir)) {
                refollow = true;
            }
        }
        if (!signalled.reset()) {
            refollow = true;
        }
        if (refollow && follow()) {
            markDirty(now);
        }
    }

    private void poll(long now) {
        if (follow()) {
            markDirty(now);
            return;
        }
        if (dueAt >= 0) {
            return;
        }
        if (!FileSignature.of(file).equals(readSignature)) {
            markDirty(now);
        } else if (rejection != null && pending == null) {
            dueAt = now;
        }
    }

    private void markDirty(long now) {
        if (dirtySince < 0) {
            dirtySince = now;
        }
        long latest = dirtySince + maxDelayNanos;
        long trailing = now + debounceNanos;
        dueAt = trailing - latest < 0 ? trailing : latest;
    }

    /**
     * Watches the deepest existing directory on the way to the file.
     *
     * @return whether the watched directory changed (so the file may have appeared unseen)
     */
    private boolean follow() {
        boolean changed = false;
        for (int i = 0; i < MAX_DEPTH; i++) {
            Path dir = file.getParent();
            while (dir != null && !Files.isDirectory(dir)) {
                dir = dir.getParent();
            }
            if (Objects.equals(dir, watchedDir) && (watchService == null || registrationFailed || (key != null && key.isValid()))) {
                return changed;
            }
            changed = true;
            if (key != null) {
                key.cancel();
                key = null;
            }
            watchedDir = dir;
            registrationFailed = false;
            if (dir != null && watchService != null) {
                try {
                    key = dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                    log.debug("watching {} for {}", dir, file);
                } catch (IOException e) {
                    log.warn("cannot watch {} ({}); polling {} instead", dir, e.toString(), file);
                    registrationFailed = true;
                    return true;
                }
            }
            // Loop: a deeper level may have been created before the registration took effect.
        }
        return changed;
    }

    private void evaluate(long now) {
        FileSignature signature = FileSignature.of(file);
        Outcome outcome;
        try {
            outcome = evaluator.apply(file);
            evaluatorError = null;
        } catch (RuntimeException e) {
            if (e.toString().equals(evaluatorError)) {
                log.debug("cannot evaluate {}, still: {}", file, e.toString());
            } else {
                log.error("cannot evaluate {}", file, e);
                evaluatorError = e.toString();
            }
            outcome = new Outcome.Invalid(source + ": cannot read: " + e);
        }
        readSignature = signature;
        boolean missingWithClusters = outcome instanceof Outcome.Missing && inForce.map(c -> !c.isEmpty()).orElse(false);
        if (outcome instanceof Outcome.Valid || (outcome instanceof Outcome.Missing && !missingWithClusters)) {
            pending = null;
            accept(outcome instanceof Outcome.Valid v ? v.clusters() : List.of());
            return;
        }
        if (outcome instanceof Outcome.Invalid invalid && rejection != null && rejection.problem().equals(invalid.problem())) {
            pending = null;
            return;
        }
        if (pending != null && pending.outcome().equals(outcome) && pending.signature().equals(signature)) {
            if (now - pending.since() >= debounceNanos) {
                pending = null;
                if (outcome instanceof Outcome.Invalid invalid) {
                    reject(invalid.problem());
                } else {
                    accept(List.of());
                }
            } else {
                dueAt = pending.since() + debounceNanos;
            }
            return;
        }
        // First sight of a refused (or vanished) file: confirm it one debounce time later.
        pending = new Pending(outcome, signature, now);
        dueAt = now + debounceNanos;
    }

    private void accept(List<ClusterConfig> clusters) {
        if (rejection == null && inForce.isPresent() && inForce.get().equals(clusters)) {
            return;
        }
        ConfigDiff diff = ConfigDiff.between(inForce.orElse(List.of()), clusters);
        log.info("config {}: {} cluster(s) in force (added {}, removed {}, changed {})", file, clusters.size(),
                diff.added().size(), diff.removed().size(), diff.changed().size());
        inForce = Optional.of(clusters);
        rejection = null;
        publisher.accept(new WatchState(inForce, Optional.empty()));
    }

    private void reject(String problem) {
        log.warn("config refused, the previous config stays in force: {}", problem);
        rejection = new ConfigUpdate.Rejected(source, problem);
        publisher.accept(new WatchState(inForce, Optional.of(rejection)));
    }
}
