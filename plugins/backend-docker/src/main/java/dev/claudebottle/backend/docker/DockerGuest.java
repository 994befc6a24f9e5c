package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The guest container as provisioning sees it: files arrive as tar archives (owner and mode set
 * in the archive, parents created), commands run through exec.
 */
final class DockerGuest implements Guest {
    private final DockerEngine engine;
    private final String containerId;
    private final String home;

    DockerGuest(DockerEngine engine, String containerId, String home) {
        this.engine = engine;
        this.containerId = containerId;
        this.home = home;
    }

    @Override
    public void copy(Path file, String path, String owner, int mode) throws IOException {
        write(Files.readAllBytes(file), path, owner, mode);
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = tar(bytes)) {
            parents(tar, path);
            file(tar, relative(path), content, owner, mode);
        }
        engine.copy(containerId, new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Override
    public void copyTree(Path directory, String path, String owner) throws IOException {
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
        engine.copy(containerId, new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Override
    public ExecResult exec(String user, List<String> argv, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = engine.exec(containerId, user, argv, envList(env), out, err);
        return new ExecResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                             OutputStream err) {
        return engine.exec(containerId, user, argv, envList(env), out, err);
    }

    @Override
    public int execInteractive(String user, List<String> argv, java.io.InputStream in, OutputStream out, int columns,
                               int rows) {
        return engine.execTerminal(containerId, user, argv, in, out, columns, rows);
    }

    private static List<String> envList(Map<String, String> env) {
        List<String> list = new ArrayList<>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        return list;
    }

    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return tar;
    }

    /** Directory entries for every parent; those under the agent's home belong to the agent. */
    private void parents(TarArchiveOutputStream tar, String path) throws IOException {
        String[] parts = relative(path).split("/");
        StringBuilder dir = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            dir.append(i == 0 ? "" : "/").append(parts[i]);
            String absolute = "/" + dir;
            boolean agentOwned = absolute.equals(home) || absolute.startsWith(home + "/");
            dir(tar, dir.toString(), agentOwned ? AGENT_USER : ROOT);
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
        int id = AGENT_USER.equals(owner) ? 1000 : 0;
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
