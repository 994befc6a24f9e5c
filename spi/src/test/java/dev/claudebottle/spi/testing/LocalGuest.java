package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.ExecResult;

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
public final class LocalGuest extends LookingGuest {
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
}
