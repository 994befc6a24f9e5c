package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A guest that is this machine: an exec runs here for real, with only the env the guest would
 * give it (its launch env and the exec's own), from the agent's working directory. The user is
 * kept, not switched to.
 */
public final class LocalGuest implements Guest {
    /** One exec: the user it was to run as and its argv. */
    public record Exec(String user, List<String> argv) {
    }

    /** Every exec asked of it, in order. */
    public final List<Exec> execs = new CopyOnWriteArrayList<>();
    private final Map<String, String> launchEnv;
    private final Path workingDir;

    /** A guest with {@code launchEnv}, whose execs run in {@code workingDir}. */
    public LocalGuest(Map<String, String> launchEnv, Path workingDir) {
        this.launchEnv = Map.copyOf(launchEnv);
        this.workingDir = workingDir;
    }

    @Override
    public ExecResult exec(String user, List<String> argv, Map<String, String> env) throws Exception {
        execs.add(new Exec(user, List.copyOf(argv)));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(launchEnv);
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ExecResult(p.waitFor(), out, new String(err.get(), StandardCharsets.UTF_8));
    }

    @Override
    public void copy(Path file, String path, String owner, int mode) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public void write(byte[] content, String path, String owner, int mode) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public void copyTree(Path directory, String path, String owner) {
        throw new UnsupportedOperationException("a probe only looks");
    }

    @Override
    public int execStreaming(String user, List<String> argv, Map<String, String> env, OutputStream out,
                             OutputStream err) {
        throw new UnsupportedOperationException("a probe reads what it runs");
    }

    @Override
    public int execInteractive(String user, List<String> argv, InputStream in, OutputStream out, int columns,
                               int rows) {
        throw new UnsupportedOperationException("a probe has no terminal");
    }
}
