package dev.claudebottle.spi.testing;

import dev.claudebottle.spi.ExecResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A guest that answers each exec as a test scripts it and keeps what it was asked to run, as whom. */
public final class ScriptedGuest extends LookingGuest {
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
}
