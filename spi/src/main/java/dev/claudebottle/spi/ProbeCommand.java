package dev.claudebottle.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command a {@link Probe} runs in the guest out of the agent's reach: as root, so the agent can
 * neither signal nor trace it; from {@code /}, so no repository or file of the agent's working
 * directory is read; with a clean env (the system's PATH, a HOME that does not exist, the C
 * locale), so no rc file, client config or variable of the agent's changes what it does; and
 * killed with its whole process group once its limit passes. Only the guest variables named in
 * {@code keep} pass, as the exec starts with them: the launch set them, the agent cannot.
 *
 * @param argv  the command and its arguments, a name on the system PATH or an absolute path
 * @param keep  the guest variables the command needs, e.g. the proxy and the CA files
 * @param limit how long it may run before it is killed
 */
public record ProbeCommand(List<String> argv, List<String> keep, Duration limit) {
    /** The only directories a probe's commands are looked up in: root's, never the agent's. */
    public static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    /** A home that does not exist: no client finds a config file in it. */
    public static final String HOME = "/nonexistent";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Requires a command, variable names and a limit of at least a second. */
    public ProbeCommand {
        argv = List.copyOf(argv);
        keep = List.copyOf(keep);
        Objects.requireNonNull(limit, "limit");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a probe command needs a command");
        }
        for (String name : keep) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a variable name");
            }
        }
        if (limit.toSeconds() < 1) {
            throw new IllegalArgumentException("a probe command's limit is at least a second");
        }
    }

    /** A command that keeps none of the guest's variables. */
    public static ProbeCommand of(Duration limit, List<String> argv) {
        return new ProbeCommand(argv, List.of(), limit);
    }

    /** The argv the guest runs: the clean env and the kill at the limit around {@link #argv}. */
    public List<String> wrapped() {
        StringBuilder script = new StringBuilder("cd / && t=$1 && shift && exec /usr/bin/env -i PATH=" + PATH
                + " HOME=" + HOME + " LC_ALL=C");
        for (String name : keep) {
            // set only when the guest has it; its value is passed as one word, whatever it holds
            script.append(" ${").append(name).append("+\"").append(name).append("=$").append(name).append("\"}");
        }
        script.append(" /usr/bin/timeout -s KILL \"$t\" \"$@\"");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "probe",
                Long.toString(limit.toSeconds())));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** Runs the command in {@code guest} as root and waits for it. */
    public ExecResult run(Guest guest) throws Exception {
        return runAs(guest, Guest.ROOT);
    }

    /** Runs it as {@code user}, one the agent can neither signal nor trace either (e.g. {@code nobody}). */
    public ExecResult runAs(Guest guest, String user) throws Exception {
        return guest.exec(user, wrapped(), Map.of());
    }

    /**
     * Whether a command ran to its own end: not killed at its limit or by a signal (124 and up),
     * not missing, and with an exit code the engine knew.
     */
    public static boolean finished(ExecResult result) {
        return result.exitCode() >= 0 && result.exitCode() < 124;
    }

    /** Why a command that did not finish proves nothing, in a few words. */
    public static String unfinished(ExecResult result) {
        int code = result.exitCode();
        String why = code == 137 ? "killed (at its limit, or by a signal)" : code == 124 ? "stopped at its limit"
                : code > 128 ? "killed by signal " + (code - 128) : code == 126 || code == 127 ? "could not be run"
                : code < 0 ? "ended with no exit code" : "ended with exit " + code;
        return why + (result.stderr().isBlank() ? "" : ": " + lastLine(result.stderr()));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 200 ? last.substring(0, 200) + "…" : last;
    }
}
