package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a guest reaches, tried from inside it as the agent: the checks behind a backend's fence
 * probes, on Docker and on smolvm alike.
 */
public final class GuestReach {
    /** Ports a host or a neighbour commonly serves on: ssh, DNS, web, the Docker API, databases, the bundle's. */
    public static final List<Integer> PORTS = List.of(22, 53, 80, 443, 2375, 2376, 3000, 5432, 8080, 8888, 9100,
            9418);
    /** Tries every target at once; prints each one a connection reached. A refused or silent one prints nothing. */
    private static final String CONNECT = "for t in \"$@\"; do ( exec 3<>\"/dev/tcp/${t%:*}/${t##*:}\" ) 2>/dev/null"
            + " && echo \"$t\" & done; wait";

    private GuestReach() {
    }

    /** Whether the guest connects to any of {@code addresses} on any of {@link #PORTS}. */
    public static Probe.Result noConnection(Guest guest, List<String> addresses) throws Exception {
        // a target that drops what it is sent would hold its connect for minutes: two seconds is enough
        List<String> argv = new ArrayList<>(List.of("timeout", "2", "bash", "-c", CONNECT, "probe"));
        for (String address : addresses) {
            for (int port : PORTS) {
                argv.add(address + ":" + port);
            }
        }
        ExecResult r = guest.exec(Guest.AGENT_USER, argv, Map.of());
        List<String> reached = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
        return reached.isEmpty() ? Probe.Result.held(String.join(", ", addresses) + " unreachable on " + PORTS.size()
                + " ports") : Probe.Result.missed("the guest connected to " + String.join(", ", reached));
    }

    /** Whether the guest gets an answer for {@code name}. */
    public static Probe.Result noAnswer(Guest guest, String name) throws Exception {
        ExecResult r = guest.exec(Guest.AGENT_USER, List.of("sh", "-c", "getent hosts \"$1\" || echo NO-ANSWER",
                "probe", name), Map.of());
        String seen = r.stdout().strip();
        return seen.equals("NO-ANSWER") ? Probe.Result.held("no answer for " + name)
                : Probe.Result.missed("the guest resolved " + name + ": " + seen);
    }
}
