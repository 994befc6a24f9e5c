package dev.claudebottle.bundle.signin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a stat of the credentials file shows: its mtime, size and inode. A file replaced by a rename
 * gets a new inode and one rewritten in place a new mtime or size, so a change shows even where
 * mtimes are coarse.
 *
 * @param modified its mtime ({@code EPOCH} when absent)
 * @param size     its size in bytes ({@code -1} when absent, {@code -2} when it could not be looked at)
 * @param inode    the file system's key for it, or null when none is known
 */
record FileStamp(FileTime modified, long size, Object inode) {
    /** No file there. */
    static final FileStamp ABSENT = new FileStamp(FileTime.fromMillis(0), -1, null);
    /** A file that could not be looked at. */
    static final FileStamp UNKNOWN = new FileStamp(FileTime.fromMillis(0), -2, null);

    /** The stamp of {@code file} now: one stat, cheap enough for every request. */
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return ABSENT;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
