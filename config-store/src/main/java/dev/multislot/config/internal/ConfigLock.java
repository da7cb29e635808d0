package dev.multislot.config.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock around one read-modify-write of a config file: an OS lock on a sibling lock
 * file (between processes) plus a lock per lock file in this JVM (between threads; the OS lock
 * is per process, and {@code FileChannel.lock} throws {@code OverlappingFileLockException} when
 * a second thread of the same JVM asks for it). The lock file is never deleted: deleting it
 * would let two writers lock two different files.
 */
public final class ConfigLock implements AutoCloseable {

    /** One entry per lock file ever used in this JVM: bounded by the number of config files. */
    private static final ConcurrentMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ConfigLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Waits for and takes the lock of {@code lockFile} (an absolute, real path), creating the file
     * with {@code permissions} if it is missing.
     *
     * @throws IllegalStateException if this thread already holds it (an edit started inside an edit)
     */
    public static ConfigLock acquire(Path lockFile, Set<PosixFilePermission> permissions) throws IOException {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        if (jvmLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the config file guarded by " + lockFile
                    + " is already being edited by this thread: do not call update() from inside a change function");
        }
        jvmLock.lock();
        FileChannel channel = null;
        try {
            channel = open(lockFile, permissions);
            FileLock fileLock = channel.lock();
            return new ConfigLock(jvmLock, channel, fileLock);
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.unlock();
            throw e;
        }
    }

    private static FileChannel open(Path lockFile, Set<PosixFilePermission> permissions) throws IOException {
        try {
            FileChannel created = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            PosixFileAttributeView view = Files.getFileAttributeView(lockFile, PosixFileAttributeView.class);
            if (view != null) {
                try {
                    view.setPermissions(permissions);
                } catch (IOException e) {
                    // The lock works whatever its mode; a narrower one only keeps others from editing.
                }
            }
            return created;
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(lockFile, StandardOpenOption.WRITE);
        }
    }

    @Override
    public void close() {
        try {
            try {
                fileLock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            // Closing the channel releases the OS lock in any case.
        } finally {
            jvmLock.unlock();
        }
    }
}
