package dev.claudebottle.backend.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An image build context and its content digest: the same files and base image give the same
 * tag, so unchanged inputs are never rebuilt. Files on disk are read only when the context is
 * sent to the engine; a jar's share of the digest comes from its central directory (every
 * entry's name, size and CRC), so checking a tag does not hash megabytes of jars on every launch.
 */
final class BuildContext {
    private final Map<String, Source> files = new TreeMap<>();

    /** Adds a file held in memory at a context path. */
    BuildContext add(String path, byte[] content) {
        files.put(path, new Source(content.clone(), null));
        return this;
    }

    /** Adds a file on disk at a context path. */
    BuildContext add(String path, Path file) {
        files.put(path, new Source(null, file));
        return this;
    }

    /** Adds an empty directory (an empty COPY source still has to exist). */
    BuildContext directory(String path) {
        files.putIfAbsent(path.endsWith("/") ? path : path + "/", null);
        return this;
    }

    /** The first 12 hex digits of a digest over every path, content and the given extras. */
    String digest(String... extras) {
        MessageDigest sha = sha256();
        for (String extra : extras) {
            update(sha, extra);
        }
        files.forEach((path, source) -> {
            update(sha, path);
            if (source != null) {
                source.digestInto(sha);
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
                    byte[] content = e.getValue().bytes();
                    entry.setSize(content.length);
                    entry.setMode(0644);
                    tar.putArchiveEntry(entry);
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    /** Content in memory, or a file read when needed. */
    private record Source(byte[] content, Path file) {
        byte[] bytes() throws IOException {
            return content != null ? content : Files.readAllBytes(file);
        }

        void digestInto(MessageDigest sha) {
            try {
                if (content == null && file.getFileName().toString().endsWith(".jar")) {
                    jarDigestInto(sha);
                } else {
                    sha.update(bytes());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        private void jarDigestInto(MessageDigest sha) throws IOException {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                update(sha, "jar " + Files.size(file));
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    update(sha, entry.getName() + " " + entry.getSize() + " " + Long.toHexString(entry.getCrc()));
                }
            }
        }
    }
}
