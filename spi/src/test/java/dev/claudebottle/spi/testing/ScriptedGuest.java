package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A guest that answers each exec as a test scripts it and keeps what it was asked to run, as whom. */
public final class ScriptedGuest implements Guest {
    /** One exec: the user it ran as and its argv. */
    public record Exec(String user, List<String> argv, Map<String, String> env) {
    }

    /** Every exec asked of it, in order. */
    public final List<Exec> execs = new CopyOnWriteArrayList<>();
    private final Function<Exec, ExecResult> answer;

    /** A guest that answers each exec with {@code answer}. */
    public ScriptedGuest(Function<Exec, ExecResult> answer) {
        this.answer = answer;
    }

    @Override
    public ExecResult exec(String user, List<String> argv, Map<String, String> env) {
        Exec e = new Exec(user, List.copyOf(argv), Map.copyOf(env));
        execs.add(e);
        return answer.apply(e);
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
