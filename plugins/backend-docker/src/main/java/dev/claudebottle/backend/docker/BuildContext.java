package dev.claudebottle.backend.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image build context held in memory, and its content digest: the same files and base image
 * give the same tag, so unchanged inputs are never rebuilt.
 */
final class BuildContext {
    private final Map<String, byte[]> files = new TreeMap<>();

    /** Adds a file at a context path. */
    BuildContext add(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** Adds an empty directory (an empty COPY source still has to exist). */
    BuildContext directory(String path) {
        files.putIfAbsent(path.endsWith("/") ? path : path + "/", null);
        return this;
    }

    /** The first 12 hex digits of a digest over every path, content and the given extras. */
    String digest(String... extras) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        for (String extra : extras) {
            sha.update(extra.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        files.forEach((path, content) -> {
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (content != null) {
                sha.update(content);
            }
            sha.update((byte) 0);
        });
        return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    /** The context as an uncompressed tar, as the engine takes it. */
    InputStream tar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                if (e.getValue() == null) {
                    entry.setMode(0755 | TarArchiveEntry.DEFAULT_DIR_MODE);
                    tar.putArchiveEntry(entry);
                } else {
                    entry.setSize(e.getValue().length);
                    entry.setMode(0644);
                    tar.putArchiveEntry(entry);
                    tar.write(e.getValue());
                }
                tar.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
