package dev.claudebottle.backend.docker;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.utils.IOUtils;

/**
 * Tar archives that unpack at {@code /} of a guest with owner and mode set in the archive: the
 * file or tree itself plus an entry for every parent, where parents under the agent's home belong
 * to the agent and the others to root. Both backends deliver guest files this way.
 */
public final class GuestArchive {
    private static final String AGENT = dev.claudebottle.spi.Guest.AGENT_USER;
    private static final String ROOT = dev.claudebottle.spi.Guest.ROOT;
    /** Files up to this size are read whole; larger ones are streamed. */
    static final long WHOLE_FILE_BYTES = 1 << 20;
    private final String home;

    /** Archives for a guest whose agent home is {@code home}. */
    public GuestArchive(String home) {
        this.home = home;
    }

    /** One file at {@code path}. */
    public byte[] file(String path, byte[] content, String owner, int mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(bytes)) {
            parents(tar, path);
            file(tar, relative(path), content, owner, mode);
        }
        return bytes.toByteArray();
    }

    /**
     * A host directory tree at {@code path}, every entry owned by {@code owner}, as a temporary
     * file (readable by its owner only) that the caller deletes. The tree is streamed into it, never
     * held in memory: a workspace's history can be larger than the CLI's heap.
     */
    public Path tree(Path directory, String path, String owner) throws IOException {
        Path archive = Files.createTempFile("claude-bottle-tree", ".tar");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive));
             TarArchiveOutputStream tar = tar(out); Stream<Path> files = Files.walk(directory)) {
            parents(tar, path);
            for (Path p : files.sorted().toList()) {
                String target = relative(path) + (p.equals(directory) ? "" : "/" + directory.relativize(p)
                        .toString().replace('\\', '/'));
                if (Files.isDirectory(p)) {
                    dir(tar, target, owner);
                } else if (Files.isRegularFile(p)) {
                    file(tar, target, p, owner, Files.isExecutable(p) ? 0755 : 0644);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(archive);
            throw e;
        }
        return archive;
    }

    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return tar;
    }

    private void parents(TarArchiveOutputStream tar, String path) throws IOException {
        String[] parts = relative(path).split("/");
        StringBuilder dir = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            dir.append(i == 0 ? "" : "/").append(parts[i]);
            String absolute = "/" + dir;
            boolean agentOwned = absolute.equals(home) || absolute.startsWith(home + "/");
            dir(tar, dir.toString(), agentOwned ? AGENT : ROOT);
        }
    }

    private static void dir(TarArchiveOutputStream tar, String path, String owner) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path + "/");
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        own(entry, owner);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String path, byte[] content, String owner, int mode)
            throws IOException {
        putFile(tar, path, content.length, owner, mode);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /**
     * A file read from disk: small ones whole (a snapshot even if the file is being written), large
     * ones streamed; a large file whose size changes while it is read fails the copy.
     */
    private static void file(TarArchiveOutputStream tar, String path, Path source, String owner, int mode)
            throws IOException {
        long size = Files.size(source);
        if (size <= WHOLE_FILE_BYTES) {
            file(tar, path, Files.readAllBytes(source), owner, mode);
            return;
        }
        putFile(tar, path, size, owner, mode);
        try (InputStream in = Files.newInputStream(source)) {
            if (IOUtils.copyRange(in, size, tar) != size || in.read() != -1) {
                throw new IOException(source + " changed while it was copied into the guest");
            }
        }
        tar.closeArchiveEntry();
    }

    /** Starts a regular file's entry; its {@code size} bytes follow. */
    private static void putFile(TarArchiveOutputStream tar, String path, long size, String owner, int mode)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(size);
        entry.setMode(0100000 | mode);
        own(entry, owner);
        tar.putArchiveEntry(entry);
    }

    private static void own(TarArchiveEntry entry, String owner) {
        int id = AGENT.equals(owner) ? 1000 : 0;
        entry.setUserId(id);
        entry.setGroupId(id);
        entry.setUserName(owner);
        entry.setGroupName(owner);
    }

    private static String relative(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("guest path " + absolute + " must be absolute");
        }
        return absolute.substring(1);
    }
}
