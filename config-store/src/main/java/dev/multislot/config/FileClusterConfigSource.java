package dev.multislot.config;

import dev.multislot.api.spi.ClusterConfigSource;
import dev.multislot.api.spi.ConfigUpdate;
import dev.multislot.config.internal.ConfigWatcher;
import dev.multislot.config.internal.Outcome;
import dev.multislot.config.internal.SubscriberView;
import dev.multislot.config.internal.WatchState;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A {@link ClusterConfigSource} that watches a config file and reports every change while the
 * program runs, so clusters can be added and removed without a restart.
 *
 * <p>What each subscriber of {@link #updates()} gets:
 * <ul>
 *   <li>First, the config in force: a {@link ConfigUpdate.Loaded} whose diff adds every cluster.
 *       A missing file (or directory) counts as a valid file with no clusters, so a service may
 *       start before its first {@code add-cluster}. If the file is invalid and no valid version was
 *       seen yet, the first item is a {@link ConfigUpdate.Rejected}. If the file in force was valid
 *       but the current one is refused, the Loaded is followed by that Rejected.</li>
 *   <li>Then one Loaded per change of the clusters, with the diff from the previous Loaded this
 *       subscriber got (a slow subscriber may get several changes merged into one diff; nothing is
 *       lost). A rewrite that changes no cluster gives no item.</li>
 *   <li>An invalid file gives one Rejected naming the file, the JSON path and the problem; the
 *       previous config stays in force. Fixing the file gives a Loaded (with an empty diff if the
 *       clusters are as before: it says that the file is good again).</li>
 *   <li>Deleting the file removes every cluster (after it has stayed deleted for the debounce time).</li>
 * </ul>
 * The flux completes on {@link #close()} and never errors for a bad file.
 *
 * <p>How: one daemon thread per source, named {@code multislot-config-watcher-<file name>}, waits on
 * a {@link WatchService} for the file's directory (or its nearest existing ancestor while the
 * directory is missing) and also polls the file's size, modification time and inode every
 * {@linkplain Builder#pollInterval poll interval}, since watch services can miss events. Changes are
 * debounced ({@linkplain Builder#debounce default 100 ms}) and a refused file must stay refused for a
 * second debounce time before it is reported, so editors that truncate and then write, and tools that
 * delete and then create, are seen as one change. The referenced CA, certificate and key files must
 * exist and be readable ({@link ConfigCodec#checkReferencedFiles}), unless turned off.
 *
 * <p>Items are delivered on the watcher thread (a late subscriber gets its first item on its own
 * thread): do not block in {@code onNext}; hand heavy work to your own scheduler. Subscribing never
 * blocks.
 *
 * <pre>{@code
 * try (FileClusterConfigSource source = FileClusterConfigSource.watch(Path.of("/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg"))) {
 *     source.updates().subscribe(update -> ...);
 * }
 * }</pre>
 */
public final class FileClusterConfigSource implements ClusterConfigSource {

    /** Default quiet time before a change is read: 100 ms. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(100);
    /** Default interval of the fallback poll: 2 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(FileClusterConfigSource.class);

    private final Path path;
    private final Sinks.Many<WatchState> states = Sinks.many().replay().latest();
    private final Object emitLock = new Object();
    private final ConfigWatcher watcher;
    private final WatchService watchService;
    private final Thread thread;
    private boolean closed;

    private FileClusterConfigSource(Builder b) {
        this.path = b.path;
        WatchService service = null;
        if (b.useWatchService) {
            try {
                service = path.getFileSystem().newWatchService();
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("cannot watch {} for changes ({}); polling it every {}", path, e, b.pollInterval);
            }
        }
        this.watchService = service;
        ConfigCodec codec = b.codec;
        boolean checkFiles = b.checkReferencedFiles;
        this.watcher = new ConfigWatcher(path, b.debounce, b.pollInterval,
                file -> evaluate(codec, checkFiles, file), this::publish, service);
        this.thread = new Thread(watcher, "multislot-config-watcher-" + path.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the config file at {@code path} with the default settings. */
    public static FileClusterConfigSource watch(Path path) {
        return builder(path).build();
    }

    /** A builder for a source watching the config file at {@code path}. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /** The watched file (absolute). */
    public Path path() {
        return path;
    }

    @Override
    public Flux<ConfigUpdate> updates() {
        String source = path.toString();
        // Per subscriber: a view that computes its diffs from what it last delivered; onBackpressureLatest
        // keeps only the newest shared state for a slow subscriber (the diff then covers the skipped ones).
        return Flux.defer(() -> {
            SubscriberView view = new SubscriberView(source);
            return states.asFlux().onBackpressureLatest().concatMapIterable(view::next, 1);
        });
    }

    /** Stops the watcher thread and completes every {@link #updates()} flux. Idempotent; does not block. */
    @Override
    public void close() {
        synchronized (emitLock) {
            if (closed) {
                return;
            }
            closed = true;
            states.tryEmitComplete();
        }
        watcher.stop();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                log.debug("closing the watch service of {}", path, e);
            }
        }
    }

    private void publish(WatchState state) {
        synchronized (emitLock) {
            if (!closed) {
                states.tryEmitNext(state);
            }
        }
    }

    private static Outcome evaluate(ConfigCodec codec, boolean checkFiles, Path file) {
        try {
            Optional<ConfigFile> config = codec.readIfExists(file);
            if (config.isEmpty()) {
                return new Outcome.Missing();
            }
            if (checkFiles) {
                ConfigCodec.checkReferencedFiles(config.get(), Optional.of(file));
            }
            return new Outcome.Valid(config.get().clusters());
        } catch (ConfigFileException e) {
            return new Outcome.Invalid(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "FileClusterConfigSource[" + path + "]";
    }

    /** Settings of a {@link FileClusterConfigSource}; {@link #build()} starts watching. None can change afterwards. */
    public static final class Builder {

        private final Path path;
        private Duration debounce = DEFAULT_DEBOUNCE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private ConfigCodec codec = ConfigCodec.defaults();
        private boolean checkReferencedFiles = true;
        private boolean useWatchService = true;

        private Builder(Path path) {
            Objects.requireNonNull(path, "path");
            if (path.getFileName() == null) {
                throw new IllegalArgumentException("config path " + path + " names no file");
            }
            this.path = path.toAbsolutePath().normalize();
        }

        /**
         * How long the file must stay unchanged before it is read (default {@link #DEFAULT_DEBOUNCE}); 0 to 1 minute.
         * A refused or deleted file must stay so for this long once more before it is reported.
         */
        public Builder debounce(Duration debounce) {
            Objects.requireNonNull(debounce, "debounce");
            if (debounce.isNegative() || debounce.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("debounce must be 0 to 1 minute, was " + debounce);
            }
            this.debounce = debounce;
            return this;
        }

        /** How often the file's signature is polled in case a directory event was missed (default {@link #DEFAULT_POLL_INTERVAL}); 10 ms to 1 hour. */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be 10 ms to 1 hour, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** The codec, for its size limit (default {@link ConfigCodec#defaults()}). */
        public Builder codec(ConfigCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Whether a config whose CA, certificate or key files are missing or unreadable is refused (default true). */
        public Builder checkReferencedFiles(boolean check) {
            this.checkReferencedFiles = check;
            return this;
        }

        /**
         * Whether to use the platform's watch service (default true). Turn it off where it does not
         * work (some network file systems); changes are then seen at the next poll.
         */
        public Builder useWatchService(boolean use) {
            this.useWatchService = use;
            return this;
        }

        /** Starts watching. */
        public FileClusterConfigSource build() {
            return new FileClusterConfigSource(this);
        }
    }
}
