package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Docker fence read rather than tried: the guest is attached to its bottle's internal network
 * and nothing else, every route it has stays on that network, and its firewall begins with the
 * rules the launch installed. The routes and rules are read as root in the guest's network
 * namespace by a helper from the bundle's image ({@link NamespaceHelper}), so nothing the agent
 * runs or changes is asked. A connect that is refused proves nothing on its own (a neighbour with
 * nothing listening refuses too); this shows that the refusal is the fence's, whatever listens where.
 */
final class FenceIntact {
    /** Prints the guest's IPv4 and IPv6 routes and its OUTPUT chain, each after its marker, then how iptables ended. */
    static final String SCRIPT = "echo ROUTES; cat /proc/net/route; echo ROUTES6; cat /proc/net/ipv6_route "
            + "2>/dev/null; echo RULES; iptables -S OUTPUT; echo \"END $?\"";
    private final DockerEngine engine;
    private final String slug;
    private final String network;
    private final Map<String, String> helperLabels;

    FenceIntact(DockerEngine engine, String slug, String network, Map<String, String> helperLabels) {
        this.engine = engine;
        this.slug = slug;
        this.network = network;
        this.helperLabels = Map.copyOf(helperLabels);
    }

    Probe.Result check() {
        List<String> guests = engine.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "guest"));
        List<String> bundles = engine.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "bundle"));
        if (guests.size() != 1 || bundles.size() != 1) {
            return Probe.Result.missed("the bottle has " + guests.size() + " guest and " + bundles.size()
                    + " bundle containers, not one of each");
        }
        String guest = guests.get(0);
        List<String> attached = engine.networksOf(guest);
        if (!attached.equals(List.of(network))) {
            return Probe.Result.missed("the guest is attached to " + String.join(", ", attached) + ", not to "
                    + network + " alone");
        }
        if (!engine.internal(network)) {
            return Probe.Result.missed(network + " is not internal: the engine routes it out");
        }
        DockerEngine.Subnet subnet = engine.subnet(network);
        String name = network + "-inspect-" + UUID.randomUUID().toString().substring(0, 8);
        NamespaceHelper.Ran ran = NamespaceHelper.run(engine, NamespaceHelper.spec(name, engine.image(bundles.get(0)),
                helperLabels, guest, List.of("NET_ADMIN"), SCRIPT), true);
        return verdict(network, subnet, ran);
    }

    /** The verdict on what the helper read: held only on a whole reading with nothing off the network. */
    static Probe.Result verdict(String network, DockerEngine.Subnet subnet, NamespaceHelper.Ran ran) {
        List<String> lines = new ArrayList<>();
        ran.output().forEach(chunk -> lines.addAll(chunk.lines().toList()));
        int routes = lines.indexOf("ROUTES");
        int routes6 = lines.indexOf("ROUTES6");
        int rules = lines.indexOf("RULES");
        String end = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        if (ran.exitCode() != 0 || routes < 0 || routes6 < routes || rules < routes6 || !end.equals("END 0")) {
            return Probe.Result.missed("the guest's routes and firewall could not be read whole (helper exit "
                    + ran.exitCode() + ", last line '" + shorten(end) + "')");
        }
        Optional<String> off = GuestRoutes.offNetwork(subnet, lines.subList(routes + 1, routes6))
                .or(() -> GuestRoutes.offLink(lines.subList(routes6 + 1, rules)))
                .or(() -> GuestFence.difference(subnet, lines.subList(rules + 1, lines.size() - 1)));
        return off.map(Probe.Result::missed).orElseGet(() -> Probe.Result.held("attached to " + network + " only "
                + "(internal), every route on " + subnet.cidr() + " or the link, the fence's "
                + GuestFence.rules(subnet).size() + " rules first in OUTPUT"));
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
