package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guest container as provisioning sees it: files arrive as tar archives (owner and mode set
 * in the archive, parents created), commands run through exec.
 */
final class DockerGuest implements Guest {
    private final DockerEngine engine;
    private final String containerId;
    private final GuestArchive archive;

    DockerGuest(DockerEngine engine, String containerId, String home) {
        this.engine = engine;
        this.containerId = containerId;
        this.archive = new GuestArchive(home);
    }

    @Override
    public void copy(Path file, String path, String owner, int mode) throws IOException {
        write(Files.readAllBytes(file), path, owner, mode);
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) throws IOException {
        engine.copy(containerId, new ByteArrayInputStream(archive.file(path, content, owner, mode)));
    }

    @Override
    public void copyTree(Path directory, String path, String owner) throws IOException {
        Path tar = archive.tree(directory, path, owner);
        try (InputStream in = Files.newInputStream(tar)) {
            engine.copy(containerId, in);
        } finally {
            Files.deleteIfExists(tar);
        }
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
    public int execStreaming(String user, List<String> argv, Map<String, String> env, java.io.InputStream in,
                             OutputStream out, OutputStream err) {
        return engine.exec(containerId, user, argv, envList(env), in, out, err);
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
}
