package dev.claudebottle.kernel.plan;

import dev.claudebottle.manifest.Agents;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BundleBase;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a manifest, an agent and a backend into a {@link LaunchPlan}: asks the kernel (the
 * agent's home) and every provisioner for contributions, checks they fit together, lets the backend
 * prepare, and orders all steps. Touches nothing.
 */
public final class LaunchPlanner {
    /** The plugin id of the kernel's own contributions. */
    public static final String KERNEL = "kernel";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RouteResolver routes;
    private final StepOrderer orderer = new StepOrderer();

    /** A planner resolving route values with the given resolver. */
    public LaunchPlanner(RouteResolver routes) {
        this.routes = routes;
    }

    /**
     * What a launch is planned from: the validated manifest and the agent in it, the bottle's slug,
     * state dir, {@code --cwd} and {@code --insecure-egress}, the agent's home in the guest, the
     * selected backend and every loaded provisioner.
     */
    public record Input(Manifest manifest, String agent, String slug, Path stateDir, Optional<Path> cwd,
                        boolean insecureEgress, String guestHome, Owned<Backend> backend,
                        List<Owned<Provisioner>> provisioners) {
    }

    /** Plans a launch. */
    public LaunchPlan plan(Input in) {
        AgentDef agent = Agents.find(in.manifest(), in.agent());
        BottleDef bottle = in.manifest().bottles().get(agent.bottle());
        Owned<Backend> backend = in.backend();
        LaunchSpec spec = new LaunchSpec(in.slug(), agent, bottle, in.manifest().baseDir(), in.stateDir(), in.cwd(),
                backend.value().name(), in.guestHome(), in.insecureEgress(), routes.resolve(bottle.egress().routes()));

        List<Owned<Contribution>> contributions = new ArrayList<>();
        contributions.add(new Owned<>(KERNEL, AgentHome.contribute(spec)));
        contributions.add(new Owned<>(KERNEL, BundleBase.contribute(spec, JSON::writeValueAsBytes)));
        for (Owned<Provisioner> p : in.provisioners()) {
            Contribution c;
            try {
                c = p.value().contribute(spec);
            } catch (BottleException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new BottleException("plugin '" + p.pluginId() + "' failed to contribute to the launch: "
                        + e.getMessage(), "run with --debug for details, or remove the plugin", e);
            }
            contributions.add(new Owned<>(p.pluginId(), c));
        }

        var daemons = collect(contributions, Contribution::daemons);
        var ports = collect(contributions, Contribution::ports);
        var mounts = collect(contributions, Contribution::bundleMounts);
        var bundleEnv = new ArrayList<>(collect(contributions, Contribution::bundleEnv));
        bundleEnv.add(0, new Owned<>(KERNEL, BundleVariables.DAEMONS.entry(
                daemons.stream().map(d -> d.value().name()).toList())));
        var guestEnv = collect(contributions, Contribution::guestEnv);
        unique(daemons, BundleDaemon::name, "bundle daemon");
        checkDaemons(daemons);
        BundleBase.unserved(bottle, daemons.stream().map(d -> d.value().name()).toList()).stream().findFirst()
                .ifPresent(missing -> {
                    throw new PlanException(missing, BundleBase.MISSING_HINT);
                });
        unique(ports, GuestPort::name, "guest port");
        unique(bundleEnv, BundleEnv::name, "bundle env entry");
        unique(guestEnv, GuestEnv::name, "guest env entry");
        checkRefs(guestEnv, ports);

        List<Owned<Step>> steps = new ArrayList<>();
        for (Owned<Contribution> c : contributions) {
            for (Step s : c.value().steps()) {
                if (s.phase() == Phase.LAUNCH) {
                    throw new PlanException("step " + new Owned<>(c.pluginId(), s).label(Step::id)
                            + " is in the LAUNCH phase, which belongs to the backend", "use PREPARE or SYSTEM");
                }
                steps.add(new Owned<>(c.pluginId(), s));
            }
        }
        LaunchRequest request = new LaunchRequest(spec, values(daemons), values(mounts), values(bundleEnv),
                values(ports), values(guestEnv));
        for (Step s : backend.value().launchSteps(request)) {
            if (s.phase() != Phase.LAUNCH && s.phase() != Phase.FINISH && s.phase() != Phase.VERIFY) {
                throw new PlanException("backend step '" + s.id() + "' (" + backend.pluginId()
                        + ") must be in the LAUNCH, FINISH or VERIFY phase", "fix the backend plugin");
            }
            steps.add(new Owned<>(backend.pluginId(), s));
        }
        return new LaunchPlan(spec, in.manifest().source(), backend.value().name(), backend.pluginId(), daemons, ports,
                mounts, bundleEnv, guestEnv, request, orderer.order(steps));
    }

    private static <T> List<Owned<T>> collect(List<Owned<Contribution>> contributions,
                                                   Function<Contribution, List<T>> part) {
        List<Owned<T>> out = new ArrayList<>();
        for (Owned<Contribution> c : contributions) {
            for (T value : part.apply(c.value())) {
                out.add(new Owned<>(c.pluginId(), value));
            }
        }
        return out;
    }

    private static <T> List<T> values(List<Owned<T>> owned) {
        return owned.stream().map(Owned::value).toList();
    }

    private static <T> void unique(List<Owned<T>> items, Function<T, String> key, String what) {
        Map<String, String> seen = new HashMap<>();
        for (Owned<T> item : items) {
            String k = key.apply(item.value());
            String previous = seen.putIfAbsent(k, item.pluginId());
            if (previous != null) {
                throw new PlanException(what + " '" + k + "' is contributed twice, by " + previous + " and "
                        + item.pluginId(), "rename it in the manifest, or remove one of the plugins");
            }
        }
    }

    /** A daemon must be one the bundle runs, on the port it listens on (decision 0008). */
    private static void checkDaemons(List<Owned<BundleDaemon>> daemons) {
        for (Owned<BundleDaemon> d : daemons) {
            Integer port = BundleLayout.DAEMON_PORTS.get(d.value().name());
            if (port == null) {
                throw new PlanException("bundle daemon '" + d.value().name() + "' (" + d.pluginId()
                        + ") is not part of the bundle", "the bundle runs "
                        + String.join(", ", BundleLayout.DAEMON_PORTS.keySet().stream().sorted().toList())
                        + "; a plugin enables one of them and cannot add another");
            }
            if (port != d.value().port()) {
                throw new PlanException("bundle daemon '" + d.value().name() + "' (" + d.pluginId() + ") listens on "
                        + port + " in the bundle, not " + d.value().port(), "use BundleLayout's port for it");
            }
        }
    }

    private static void checkRefs(List<Owned<GuestEnv>> env, List<Owned<GuestPort>> ports) {
        var names = ports.stream().map(p -> p.value().name()).toList();
        for (Owned<GuestEnv> e : env) {
            for (String ref : e.value().endpointRefs()) {
                if (!names.contains(ref)) {
                    throw new PlanException("guest env " + e.value().name() + " (" + e.pluginId()
                            + ") refers to port '" + ref + "', which no plugin contributes",
                            "known ports: " + String.join(", ", names));
                }
            }
        }
    }
}
