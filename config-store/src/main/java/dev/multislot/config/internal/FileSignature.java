package dev.multislot.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What the poller compares to notice a change the watch service missed: whether the file exists,
 * its size, its modification time and its identity (inode), which an atomic rename changes.
 */
record FileSignature(boolean exists, long size, FileTime modified, Object fileKey) {

    private static final FileSignature MISSING = new FileSignature(false, -1, null, null);

    static FileSignature of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileSignature(true, a.size(), a.lastModifiedTime(), a.fileKey());
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            // Unreadable attributes: a signature of its own, so that becoming readable again counts as a change.
            return new FileSignature(false, -2, null, e.getClass().getName());
        }
    }
}
