package dev.multislot.config.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file's content so that every reader, and the file after a crash at any point, sees
 * either the whole old content or the whole new one: a temporary file in the same directory,
 * flushed to disk, renamed over the target in one step, then the directory flushed.
 */
public final class AtomicFileWriter {

    /** The mode of a config file this library creates: owner read-write, everyone else read. */
    public static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private static final Logger log = LoggerFactory.getLogger(AtomicFileWriter.class);

    private AtomicFileWriter() {
    }

    /**
     * Writes {@code bytes} as the new content of {@code target}, keeping its mode, and its owner
     * and group where this process may set them (as root). The caller holds the file's lock.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.getParent();
        PosixFileAttributes before = posixAttributes(target);
        Path tmp = Files.createTempFile(dir, tempPrefix(target), ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                copyAttributes(tmp, before);
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Deletes temporary files left by a writer that died before its rename. Only safe while
     * holding the file's lock: every live writer holds it for as long as its temporary file exists.
     */
    public static void removeStaleTemporaryFiles(Path target) {
        String prefix = tempPrefix(target);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(target.getParent(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp");
        })) {
            for (Path p : stale) {
                log.info("removing {}, left by a config writer that did not finish", p);
                deleteQuietly(p);
            }
        } catch (IOException e) {
            log.debug("cannot list {} for stale temporary files", target.getParent(), e);
        }
    }

    /** The mode a new lock or config file gets: the config file's own if it exists, else rw-r--r--. */
    public static Set<PosixFilePermission> permissionsFor(Path target) {
        PosixFileAttributes attributes = posixAttributes(target);
        return attributes != null ? attributes.permissions() : NEW_FILE_PERMISSIONS;
    }

    private static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    private static PosixFileAttributes posixAttributes(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            return view.readAttributes();
        } catch (IOException e) {
            return null;
        }
    }

    private static void copyAttributes(Path tmp, PosixFileAttributes before) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        if (before == null) {
            // Set explicitly: the temporary file was created 0600, and the umask must not make a new config unreadable.
            view.setPermissions(NEW_FILE_PERMISSIONS);
            return;
        }
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.owner().equals(before.owner())) {
                view.setOwner(before.owner());
            }
            if (!now.group().equals(before.group())) {
                view.setGroup(before.group());
            }
        } catch (IOException e) {
            log.warn("cannot keep the owner {} and group {} of {} (only root can): the rewritten file belongs to this user",
                    before.owner().getName(), before.group().getName(), tmp.resolveSibling(tmp.getFileName()));
        }
        // After chown: changing the owner may clear set-id bits.
        view.setPermissions(before.permissions());
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or flush a directory; the rename itself is still atomic there.
            log.debug("cannot flush directory {}", dir, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            log.warn("cannot delete temporary file {}: {}", p, e.toString());
        }
    }
}
