package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the Docker fence promises, checked from inside the guest as root, out of the agent's
 * reach: it connects to no address outside the bottle's network that exists on this machine, it
 * resolves no name the egress network answers, and its attachments, routes and firewall are the
 * ones the launch made, read in its network namespace. The addresses are read from the engine
 * each time, so {@code bottle verify} checks a running bottle as it is now.
 */
final class DockerProbes {
    private final String slug;
    private final String network;
    private final Supplier<DockerEngine> engines;
    private final HostEnvironment env;
    private final Map<String, String> helperLabels;

    DockerProbes(String slug, String network, Supplier<DockerEngine> engines, HostEnvironment env,
                 Map<String, String> helperLabels) {
        this.slug = slug;
        this.network = network;
        this.engines = engines;
        this.env = env;
        this.helperLabels = Map.copyOf(helperLabels);
    }

    List<Step> steps() {
        return List.of(
                Probe.step("docker.no-route", "the guest connects to no address outside its network: not the host "
                        + "(its network's gateway), not the egress network's gateway, not the bundle's egress-side "
                        + "address (" + GuestReach.PORTS.size() + " ports each)", this::noRoute),
                Probe.step("docker.no-dns", "the guest resolves no name, not even the bundle's on the egress "
                        + "network (" + network + "-bundle)", this::noDns),
                Probe.step("docker.fence-intact", "the guest is attached to " + network + " alone, which is "
                        + "internal, every route it has stays there, and its firewall begins with the fence's rules "
                        + "(read as root in its network namespace by a helper from the bundle's image)",
                        ctx -> new FenceIntact(engines.get(), slug, network, helperLabels).check()));
    }

    private Probe.Result noRoute(StepContext ctx) throws Exception {
        DockerEngine e = engines.get();
        String egress = EgressNetwork.name(env);
        List<String> addresses = new ArrayList<>(List.of(e.subnet(network).gateway(), e.subnet(egress).gateway()));
        for (String bundle : e.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "bundle"))) {
            addresses.add(e.ipAddress(bundle, egress));
        }
        return GuestReach.noConnection(ctx.guest(), addresses);
    }

    private Probe.Result noDns(StepContext ctx) throws Exception {
        return GuestReach.noAnswer(ctx.guest(), network + "-bundle");
    }
}
