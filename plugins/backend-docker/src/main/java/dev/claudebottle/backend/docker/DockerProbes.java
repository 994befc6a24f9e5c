package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the Docker fence promises, checked from inside the guest as the agent: it connects to no
 * address outside the bottle's network that exists on this machine, and resolves no name the
 * egress network answers. The addresses are read from the engine each time, so {@code bottle
 * verify} checks a running bottle as it is now.
 */
final class DockerProbes {
    /** Ports a host or a neighbour commonly serves on: ssh, DNS, web, the Docker API, databases, the bundle's. */
    private static final List<Integer> PORTS = List.of(22, 53, 80, 443, 2375, 2376, 3000, 5432, 8080, 8888, 9100,
            9418);
    /** Tries every target at once; prints each one a connection reached. A refused or silent one prints nothing. */
    private static final String CONNECT = "for t in \"$@\"; do ( exec 3<>\"/dev/tcp/${t%:*}/${t##*:}\" ) 2>/dev/null"
            + " && echo \"$t\" & done; wait";
    private final String slug;
    private final String network;
    private final Supplier<DockerEngine> engines;
    private final HostEnvironment env;

    DockerProbes(String slug, String network, Supplier<DockerEngine> engines, HostEnvironment env) {
        this.slug = slug;
        this.network = network;
        this.engines = engines;
        this.env = env;
    }

    List<Step> steps() {
        return List.of(
                Probe.step("docker.no-route", "the guest connects to no address outside its network: not the host "
                        + "(its network's gateway), not the egress network's gateway, not the bundle's egress-side "
                        + "address (" + PORTS.size() + " ports each)", this::noRoute),
                Probe.step("docker.no-dns", "the guest resolves no name, not even the bundle's on the egress "
                        + "network (" + network + "-bundle)", this::noDns));
    }

    private Probe.Result noRoute(StepContext ctx) throws Exception {
        DockerEngine e = engines.get();
        String egress = EgressNetwork.name(env);
        List<String> addresses = new ArrayList<>(List.of(e.subnet(network).gateway(), e.subnet(egress).gateway()));
        for (String bundle : e.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "bundle"))) {
            addresses.add(e.ipAddress(bundle, egress));
        }
        // a target that drops what it is sent would hold its connect for minutes: two seconds is enough
        List<String> argv = new ArrayList<>(List.of("timeout", "2", "bash", "-c", CONNECT, "probe"));
        for (String address : addresses) {
            for (int port : PORTS) {
                argv.add(address + ":" + port);
            }
        }
        ExecResult r = ctx.guest().exec(Guest.AGENT_USER, argv, Map.of());
        List<String> reached = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
        return reached.isEmpty() ? Probe.Result.held(String.join(", ", addresses) + " unreachable on " + PORTS.size()
                + " ports") : Probe.Result.missed("the guest connected to " + String.join(", ", reached));
    }

    private Probe.Result noDns(StepContext ctx) throws Exception {
        String name = network + "-bundle";
        ExecResult r = ctx.guest().exec(Guest.AGENT_USER, List.of("getent", "hosts", name), Map.of());
        return r.ok() ? Probe.Result.missed("the guest resolved " + name + ": " + r.stdout().strip())
                : Probe.Result.held("no answer for " + name);
    }
}
