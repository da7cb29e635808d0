package dev.multislot.config;

import dev.multislot.config.internal.AtomicFileWriter;
import dev.multislot.config.internal.ConfigLock;
import dev.multislot.config.internal.RegularFileReader;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The config file at one path, read and edited safely.
 *
 * <p>{@link #update(UnaryOperator)} is the one way to edit: it takes an exclusive lock (the sibling
 * file {@code <name>.lock}, locked with the OS, plus a lock inside this JVM), reads the file, applies
 * the change and writes the result atomically (a temporary file in the same directory, flushed, then
 * renamed over the file, then the directory flushed). So readers and watchers only ever see a whole
 * old or a whole new file, a writer killed at any moment leaves a whole file, and concurrent edits
 * from any number of threads and processes are applied one after the other: none is lost.
 *
 * <p>A rewrite keeps the file's mode, and its owner and group when the process may set them (as
 * root). A file created here gets mode {@code rw-r--r--}; the directories above it are created as
 * needed, with the process's umask. If the path is a symbolic link, the file it points to is
 * rewritten and the link stays.
 *
 * <p>All methods block on file I/O (and {@code update} on the lock): call them from a thread that
 * may block, never from an event loop, for example
 * {@code Mono.fromCallable(() -> store.update(f -> f.withCluster(c))).subscribeOn(Schedulers.boundedElastic())}.
 *
 * <pre>{@code
 * ConfigStore store = ConfigStore.at(Path.of("/opt/cloudhsm/etc/cloudhsm-pkcs11.cfg"));
 * store.update(file -> file.withCluster(cluster));
 * List<ClusterConfig> clusters = store.read().clusters();
 * }</pre>
 */
public final class ConfigStore {

    private final Path path;
    private final ConfigCodec codec;

    private ConfigStore(Path path, ConfigCodec codec) {
        this.path = path;
        this.codec = codec;
    }

    /** The store for the config file at {@code path}, with the default limits. The file need not exist. */
    public static ConfigStore at(Path path) {
        return at(path, ConfigCodec.defaults());
    }

    /** The store for the config file at {@code path}, read and written with {@code codec}'s limits. */
    public static ConfigStore at(Path path, ConfigCodec codec) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(codec, "codec");
        if (path.getFileName() == null || path.toString().isEmpty()) {
            throw new IllegalArgumentException("config path '" + path + "' names no file");
        }
        return new ConfigStore(path.toAbsolutePath().normalize(), codec);
    }

    /** The config file's path (absolute). */
    public Path path() {
        return path;
    }

    /**
     * The file as it is now; {@link ConfigFile#empty()} if there is no file. Takes no lock: the
     * file is only ever replaced whole.
     *
     * @throws ConfigFileException if the file cannot be read, is too large or is not a valid config
     */
    public ConfigFile read() {
        return codec.readIfExists(path).orElse(ConfigFile.empty());
    }

    /**
     * Applies {@code change} to the file under the lock and writes the result, creating the file
     * (from {@code {"clusters": []}}) and its directories if missing. Nothing is written if the
     * change returns an equal file (unless there was no file), or if it throws: its exception
     * propagates unchanged. An invalid file is never overwritten: fix it by hand first.
     *
     * @param change the edit; it may run while other processes wait for the lock, so keep it quick
     *     and do not call this store from inside it
     * @return the file as written
     * @throws ConfigFileException if the file is invalid, or cannot be read, locked or written
     * @throws IllegalStateException if called from inside a change function of the same file
     */
    public ConfigFile update(UnaryOperator<ConfigFile> change) {
        Objects.requireNonNull(change, "change");
        Path target = target();
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        ConfigLock lock;
        try {
            lock = ConfigLock.acquire(lockFile, AtomicFileWriter.permissionsFor(target));
        } catch (AccessDeniedException e) {
            throw failure("cannot open the lock file " + lockFile + ": permission denied", e);
        } catch (IOException e) {
            throw failure("cannot lock " + lockFile + ": " + e, e);
        }
        try (lock) {
            AtomicFileWriter.removeStaleTemporaryFiles(target);
            Optional<ConfigFile> current = codec.readIfExists(target);
            ConfigFile before = current.orElse(ConfigFile.empty());
            ConfigFile after = Objects.requireNonNull(change.apply(before), "the change function returned null");
            if (current.isPresent() && after.equals(before)) {
                return before;
            }
            byte[] bytes;
            try {
                bytes = codec.serialize(after);
            } catch (ConfigFileException e) {
                throw failure("refusing to write: " + e.problem(), e);
            }
            AtomicFileWriter.write(target, bytes);
            return after;
        } catch (AccessDeniedException e) {
            throw failure("cannot write: permission denied", e);
        } catch (IOException e) {
            throw failure("cannot write: " + e, e);
        }
    }

    /**
     * The file to write: the symbolic link's target if the path is one, in a directory that exists.
     * Refused before any lock file is made: anything there that is not a regular file (a directory,
     * a FIFO, a device such as {@code /dev/null}), and a file this process may not write.
     */
    private Path target() {
        Path target;
        try {
            if (Files.isSymbolicLink(path)) {
                try {
                    target = path.toRealPath();
                } catch (NoSuchFileException e) {
                    throw failure("is a symbolic link to " + Files.readSymbolicLink(path) + ", which does not exist", e);
                }
            } else {
                Path dir = Files.createDirectories(path.getParent());
                target = dir.toRealPath().resolve(path.getFileName());
            }
        } catch (AccessDeniedException e) {
            throw failure("cannot create the directory " + path.getParent() + ": permission denied", e);
        } catch (IOException e) {
            throw failure("cannot prepare the directory " + path.getParent() + ": " + e, e);
        }
        checkEditable(target);
        return target;
    }

    private void checkEditable(Path target) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw failure("cannot inspect " + target + ": " + e, e);
        }
        String notRegular = RegularFileReader.describeIfNotRegular(attributes);
        if (notRegular != null) {
            throw failure((target.equals(path) ? "" : "leads to " + target + ", which ") + notRegular
                    + "; expected a regular config file (nothing was locked or written)", null);
        }
        // The rename would replace the file whatever its mode, as long as the directory is writable:
        // ask the OS whether this process may write the file itself (root may write any file).
        if (!Files.isWritable(target)) {
            throw failure("cannot edit: permission denied (this user may not write " + target
                    + "; its owner or root can, or change its mode)", null);
        }
    }

    private ConfigFileException failure(String problem, Throwable cause) {
        return new ConfigFileException(Optional.of(path), Optional.empty(), problem, cause);
    }

    @Override
    public String toString() {
        return "ConfigStore[" + path + "]";
    }
}
