package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.ProbeCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a guest reaches, tried from inside it as root out of the agent's reach ({@link
 * ProbeCommand}): the checks behind a backend's fence probes, on Docker and on smolvm alike. Each
 * holds only on what every attempt said once it ended: a target with no word of its own, a
 * garbled line or a command that did not finish is a miss.
 */
public final class GuestReach {
    /** Ports a host or a neighbour commonly serves on: ssh, DNS, web, the Docker API, databases, the bundle's. */
    public static final List<Integer> PORTS = List.of(22, 53, 80, 443, 2375, 2376, 3000, 5432, 8080, 8888, 9100,
            9418);
    /** How long one connect may wait for an answer: a target that drops what it is sent holds it for minutes. */
    private static final int CONNECT_SECONDS = 3;
    /**
     * Tries every target at once and says, for each, how its attempt ended: CONNECTED, SILENT (no
     * answer in time) or FAILED with the system's reason; DONE once every attempt ended.
     */
    private static final String CONNECT = "for t in \"$@\"; do ( e=$(timeout " + CONNECT_SECONDS + " bash -c "
            + "'exec 3<>\"/dev/tcp/${1%:*}/${1##*:}\"' probe \"$t\" 2>&1); c=$?; if [ $c -eq 0 ]; then "
            + "echo \"CONNECTED $t\"; elif [ $c -eq 124 ]; then echo \"SILENT $t\"; else e=$(printf '%s' \"$e\" | "
            + "tail -n 1); echo \"FAILED $t ${e##*: }\"; fi ) & done; wait; echo DONE";
    /** Looks a name up as every program would, and says how the lookup ended. */
    private static final String LOOKUP = "getent hosts \"$1\"; echo \"LOOKUP-EXIT $?\"";
    /** getent's exit status for a name no source knows. */
    private static final int NOT_FOUND = 2;

    private GuestReach() {
    }

    /** Whether the guest connects to any of {@code addresses} on any of {@link #PORTS}. */
    public static Probe.Result noConnection(Guest guest, List<String> addresses) throws Exception {
        return noConnection(guest, addresses, PORTS);
    }

    /** Whether the guest connects to any of {@code addresses} on any of {@code ports}. */
    public static Probe.Result noConnection(Guest guest, List<String> addresses, List<Integer> ports) throws Exception {
        List<String> targets = new ArrayList<>();
        for (String address : addresses) {
            for (int port : ports) {
                targets.add(address + ":" + port);
            }
        }
        return attempts(guest, targets, String.join(", ", addresses) + " unreachable on " + ports.size() + " ports");
    }

    /** Tries every {@code host:port} target at once; {@code held} says what holding means. */
    static Probe.Result attempts(Guest guest, List<String> targets, String held) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", CONNECT, "probe"));
        argv.addAll(targets);
        ExecResult r = ProbeCommand.of(Duration.ofSeconds(CONNECT_SECONDS * 5L), argv).run(guest);
        if (!ProbeCommand.finished(r)) {
            return Probe.Result.missed("the connect attempts did not finish: " + ProbeCommand.unfinished(r));
        }
        return connections(targets, r.stdout(), held);
    }

    /**
     * The verdict on what the connect attempts printed: held when every target's attempt ended and
     * none connected. A refusal counts as not reached here; that the fence, not a live neighbour,
     * refused is for the backend's structural probe to show.
     */
    static Probe.Result connections(List<String> targets, String stdout, String held) {
        Map<String, String> outcome = new LinkedHashMap<>();
        boolean done = false;
        List<String> garbled = new ArrayList<>();
        for (String line : stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] words = line.split(" ", 3);
            if (line.equals("DONE")) {
                done = true;
            } else if (words.length >= 2 && targets.contains(words[1]) && !outcome.containsKey(words[1])
                    && (words[0].equals("CONNECTED") || words[0].equals("SILENT") || words[0].equals("FAILED"))) {
                outcome.put(words[1], words[0].equals("FAILED") ? reason(words.length > 2 ? words[2] : "") : words[0]);
            } else {
                garbled.add(line);
            }
        }
        List<String> reached = targets.stream().filter(t -> "CONNECTED".equals(outcome.get(t))).sorted().toList();
        if (!reached.isEmpty()) {
            return Probe.Result.missed("the guest connected to " + String.join(", ", reached));
        }
        List<String> silent = targets.stream().filter(t -> !outcome.containsKey(t)).toList();
        if (!done || !silent.isEmpty() || !garbled.isEmpty()) {
            return Probe.Result.missed("the connect attempts did not all say how they ended: " + (!silent.isEmpty()
                    ? silent.size() + " of " + targets.size() + " said nothing (" + silent.get(0) + ")"
                    : !garbled.isEmpty() ? "'" + shorten(garbled.get(0)) + "'" : "no end was reported"));
        }
        Map<String, Integer> kinds = new TreeMap<>();
        outcome.values().forEach(k -> kinds.merge(k, 1, Integer::sum));
        List<String> counts = kinds.entrySet().stream().map(k -> k.getValue() + " " + k.getKey()).toList();
        return Probe.Result.held(held + " (" + String.join(", ", counts) + ")");
    }

    /** The kind of a failed attempt, from the system's reason. */
    private static String reason(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        return t.contains("refused") ? "refused" : t.contains("no route") || t.contains("unreachable")
                ? "unreachable" : t.contains("timed out") ? "timed out" : t.contains("not permitted")
                || t.contains("permission") ? "denied" : "failed (" + shorten(t) + ")";
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** Whether the guest gets an answer for {@code name}. */
    public static Probe.Result noAnswer(Guest guest, String name) throws Exception {
        ExecResult r = ProbeCommand.of(Duration.ofSeconds(20), List.of("sh", "-c", LOOKUP, "probe", name))
                .run(guest);
        if (!ProbeCommand.finished(r)) {
            return Probe.Result.missed("the lookup of " + name + " did not finish: " + ProbeCommand.unfinished(r));
        }
        return lookup(name, r.stdout());
    }

    /** The verdict on what the lookup printed: held only when it ended with "not found" and printed no address. */
    static Probe.Result lookup(String name, String stdout) {
        List<String> lines = stdout.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        List<String> answers = lines.isEmpty() ? List.of() : lines.subList(0, lines.size() - 1);
        if (!answers.isEmpty()) {
            return Probe.Result.missed("the guest resolved " + name + ": " + shorten(String.join("; ", answers)));
        }
        if (last.equals("LOOKUP-EXIT " + NOT_FOUND)) {
            return Probe.Result.held("no answer for " + name);
        }
        return Probe.Result.missed("the lookup of " + name + " did not end with 'not found' (" + (last.isEmpty()
                ? "it said nothing" : "'" + shorten(last) + "'") + ")");
    }
}
