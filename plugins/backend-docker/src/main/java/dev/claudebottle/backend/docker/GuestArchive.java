package dev.claudebottle.backend.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Tar archives that unpack at {@code /} of a guest with owner and mode set in the archive: the
 * file or tree itself plus an entry for every parent, where parents under the agent's home belong
 * to the agent and the others to root. Both backends deliver guest files this way.
 */
public final class GuestArchive {
    private static final String AGENT = dev.claudebottle.spi.Guest.AGENT_USER;
    private static final String ROOT = dev.claudebottle.spi.Guest.ROOT;
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

    /** A host directory tree at {@code path}, every entry owned by {@code owner}. */
    public byte[] tree(Path directory, String path, String owner) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(bytes); Stream<Path> files = Files.walk(directory)) {
            parents(tar, path);
            for (Path p : files.sorted().toList()) {
                String target = relative(path) + (p.equals(directory) ? "" : "/" + directory.relativize(p)
                        .toString().replace('\\', '/'));
                if (Files.isDirectory(p)) {
                    dir(tar, target, owner);
                } else if (Files.isRegularFile(p)) {
                    file(tar, target, Files.readAllBytes(p), owner, Files.isExecutable(p) ? 0755 : 0644);
                }
            }
        }
        return bytes.toByteArray();
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
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(content.length);
        entry.setMode(0100000 | mode);
        own(entry, owner);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
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
