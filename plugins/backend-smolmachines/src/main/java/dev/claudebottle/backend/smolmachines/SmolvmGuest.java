package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.backend.docker.GuestArchive;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The microVM as provisioning sees it. Files travel as one tar archive per call ({@code machine cp}
 * takes single files only) that root unpacks with owners and modes; every exec carries the whole
 * guest env again, because smolvm gives exec'd processes none of it; the agent user is entered
 * with {@code runuser}, since exec has no user flag and packs run as root.
 */
final class SmolvmGuest implements Guest {
    private final Smolvm smolvm;
    private final SmolvmCommands commands;
    private final String machine;
    private final Map<String, String> guestEnv;
    private final String home;

    SmolvmGuest(Smolvm smolvm, SmolvmCommands commands, String machine, Map<String, String> guestEnv, String home) {
        this.smolvm = smolvm;
        this.commands = commands;
        this.machine = machine;
        this.guestEnv = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(guestEnv));
        this.home = home;
    }

    @Override
    public void copy(Path file, String path, String owner, int mode) throws IOException {
        write(Files.readAllBytes(file), path, owner, mode);
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) throws IOException {
        Path tar = Files.createTempFile("claude-bottle-upload", ".tar");
        try {
            Files.write(tar, new GuestArchive(home).file(path, content, owner, mode));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tar);
            throw e;
        }
        upload(tar, path);
    }

    @Override
    public void copyTree(Path directory, String path, String owner) throws IOException {
        upload(new GuestArchive(home).tree(directory, path, owner), path);
    }

    /** Copies the archive into the machine, unpacks it at {@code /} and deletes it on both sides. */
    private void upload(Path tar, String path) throws IOException {
        String guestTar = "/tmp/claude-bottle-upload-" + UUID.randomUUID() + ".tar";
        try {
            smolvm.check(commands.copy(tar, machine, guestTar), "copying " + path + " into " + machine);
            ExecResult unpacked = exec(ROOT, List.of("sh", "-c", "tar -x -f \"$1\" -C / && rm -f \"$1\"", "unpack",
                    guestTar), Map.of());
            if (unpacked.exitCode() != 0) {
                throw new BottleException("unpacking " + path + " in " + machine + " failed: "
                        + unpacked.stderr().strip());
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    @Override
    public ExecResult exec(String user, List<String> argv, Map<String, String> env) {
        return smolvm.capture(call(user, argv, env, SmolvmCommands.Io.STREAMED));
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                             OutputStream err) {
        return smolvm.stream(call(user, argv, env, SmolvmCommands.Io.STREAMED), InputStream.nullInputStream(), out,
                err);
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, InputStream in,
                             OutputStream out, OutputStream err) {
        return smolvm.stream(call(user, argv, env, SmolvmCommands.Io.WITH_INPUT), in, out, err);
    }

    @Override
    public int execInteractive(String user, List<String> argv, InputStream in, OutputStream out, int columns,
                               int rows) {
        return smolvm.interactive(call(user, argv, Map.of("COLUMNS", Integer.toString(columns), "LINES",
                Integer.toString(rows)), SmolvmCommands.Io.TERMINAL), in, out);
    }

    SmolvmCall call(String user, List<String> argv, Map<String, String> env, SmolvmCommands.Io io) {
        Map<String, String> all = new LinkedHashMap<>(guestEnv);
        all.putAll(env);
        List<String> command = new ArrayList<>();
        if (!ROOT.equals(user)) {
            command.addAll(List.of("runuser", "-u", user, "--"));
        }
        command.addAll(argv);
        return commands.exec(machine, all, ROOT.equals(user) ? Optional.empty() : Optional.of(home), io, command);
    }
}
