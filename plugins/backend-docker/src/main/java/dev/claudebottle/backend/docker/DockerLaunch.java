package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Endpoints;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.spi.manifest.GuestLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One bottle on Docker: images, a per-bottle internal network, the bundle on it and on the egress
 * network, and the guest on the internal network only, as the agent user, with its embedded
 * resolver blocked and its memory, processes and CPU capped as its bottle says. Each step leaves
 * an undo and hands what it made to the next as a typed result; the steps themselves hold no
 * state. Secrets go to the bundle's own file system only.
 */
final class DockerLaunch {
    private static final ResultKey<LaunchImages> IMAGES = new ResultKey<>("docker.images", LaunchImages.class);
    private static final ResultKey<BottleNetwork> NETWORK = new ResultKey<>("docker.network", BottleNetwork.class);
    private static final ResultKey<StartedBundle> BUNDLE = new ResultKey<>("docker.bundle", StartedBundle.class);
    private static final ResultKey<GuestSetup> GUEST_SETUP = new ResultKey<>("docker.guest", GuestSetup.class);
    private final LaunchRequest request;
    private final Supplier<DockerEngine> engines;
    private final Optional<Path> imagesDir;
    private final HostEnvironment env;
    private final EventSink events;

    /**
     * The bottle's network as the network step made it.
     *
     * @param subnet   its address range and gateway
     * @param removals the removals of its containers, which its own removal waits for
     */
    private record BottleNetwork(DockerEngine.Subnet subnet, BackgroundRemovals removals) {
    }

    /**
     * The bundle container, starting in the background.
     *
     * @param id      the container
     * @param started done once it started
     * @param fenced  done once its daemons refuse the host
     */
    private record StartedBundle(String id, CompletableFuture<Void> started, CompletableFuture<Void> fenced) {
    }

    /**
     * What is still being done to the running guest in the background.
     *
     * @param bundleNamed done once its hosts file names the bundle
     * @param fenced      done once it reaches nothing but its network and has no resolver
     */
    private record GuestSetup(CompletableFuture<Void> bundleNamed, CompletableFuture<Void> fenced) {
    }

    DockerLaunch(LaunchRequest request, Supplier<DockerEngine> engines, Optional<Path> imagesDir,
                 HostEnvironment env, EventSink events) {
        this.request = request;
        this.engines = engines;
        this.imagesDir = imagesDir;
        this.env = env;
        this.events = events;
    }

    String network() {
        return "claude-bottle-" + request.spec().slug();
    }

    private GuestLimits limits() {
        return request.spec().bottle().limits();
    }

    private String egressNetwork() {
        return EgressNetwork.name(env);
    }

    private String slug() {
        return request.spec().slug();
    }

    List<Step> steps() {
        List<Step> steps = new ArrayList<>(launch());
        steps.addAll(new DockerProbes(slug(), network(), engines, env, Labels.of(request.spec(), "helper")).steps());
        return List.copyOf(steps);
    }

    private List<Step> launch() {
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("docker.images", Phase.LAUNCH, "find or build the agent and bundle images", ctx -> {
                    ctx.produce(IMAGES, LaunchImages.resolve(engines.get(), imagesDir, env, events));
                    return Undo.NONE;
                }),
                new Step("docker.network", Phase.LAUNCH, List.of("docker.images"), "create internal network "
                        + network() + " (no route out; labels claude-bottle.slug=" + slug() + ")", ctx -> {
                            DockerEngine e = engines.get();
                            e.createNetwork(network(), true, Labels.of(request.spec(), "network"));
                            BackgroundRemovals removals = new BackgroundRemovals();
                            Undo undo = () -> {
                                try {
                                    removals.awaitAll();
                                } catch (RuntimeException failed) {
                                    // what a removal left behind is found by its label below
                                }
                                // A container whose step still ran when the bottle was torn down has no undo
                                // yet; it is the bottle's by its label, and the network goes only without it.
                                LabelSweep.containers(e, slug());
                                e.removeNetwork(network());
                            };
                            try {
                                ctx.produce(NETWORK, new BottleNetwork(e.subnet(network()), removals));
                                ctx.produce(Backend.ENDPOINTS, endpoints());
                            } catch (RuntimeException failure) {
                                undo.undo();
                                throw failure;
                            }
                            return undo;
                        }),
                new Step("docker.bundle", Phase.LAUNCH, List.of("docker.network"),
                        "start the bundle container (" + daemons + ") on " + network() + " and " + egressNetwork()
                                + ", " + request.bundleMounts().size() + " mount(s), " + request.bundleEnv().size()
                                + " env entries; the guest starts meanwhile", this::startBundle),
                new Step("docker.guest", Phase.LAUNCH, List.of("docker.bundle"),
                        "start the guest container on " + network() + " only (agent as node, no new privileges), "
                                + "reaching the bundle as " + GuestHosts.BUNDLE + ", its resolver blocked, "
                                + request.guestEnv().size() + " env entries, limited to " + limits().summary(),
                        this::startGuest),
                // The bundle's JVM starts, its name reaches the guest's hosts file and the resolver is
                // blocked while the guest is provisioned; the agent waits for all three here.
                Step.of("docker.ready", Phase.FINISH, "wait until the guest reaches nothing but its network, its "
                        + "resolver is blocked, its /etc/hosts "
                        + "names the bundle, the bundle's daemons (" + daemons + ") listen on the bottle's network "
                        + "only and refuse the host", ctx -> {
                            GuestSetup guest = ctx.result(GUEST_SETUP);
                            StartedBundle bundle = ctx.result(BUNDLE);
                            join(guest.bundleNamed());
                            join(guest.fenced());
                            join(bundle.fenced());
                            new BundleContainer(request, ctx.result(IMAGES).bundle()).awaitReady(engines.get(),
                                    bundle.id());
                            return Undo.NONE;
                        }));
    }

    /** The guest reaches every bundle port at the bundle's name on the bottle's network. */
    private Endpoints endpoints() {
        Map<String, Endpoint> byPort = new HashMap<>();
        for (GuestPort port : request.ports()) {
            byPort.put(port.name(), new Endpoint(GuestHosts.BUNDLE, port.port()));
        }
        return new Endpoints(byPort);
    }

    /** Creates the bundle and starts it in the background: the guest starts meanwhile. */
    private Undo startBundle(StepContext ctx) throws Exception {
        DockerEngine e = engines.get();
        BottleNetwork net = ctx.result(NETWORK);
        EgressNetwork.ensure(e, env);
        // The daemons listen on the bottle's network only: the egress network never reaches them.
        BundleContainer bundle = new BundleContainer(request, ctx.result(IMAGES).bundle());
        String id = bundle.create(e, bundle.spec(network() + "-bundle", network(), List.of(),
                List.of(BundleVariables.LISTEN_SUBNET.name() + "=" + net.subnet().cidr())));
        Undo remove = () -> net.removals().submit("bundle", () -> e.remove(id));
        try {
            e.connect(egressNetwork(), id, List.of());
        } catch (RuntimeException failure) {
            remove.undo();
            throw failure;
        }
        CompletableFuture<Void> started = DaemonThread.run("start the bundle", () -> e.start(id));
        String bundleImage = ctx.result(IMAGES).bundle();
        CompletableFuture<Void> fenced = started.thenRunAsync(() -> fenceBundle(e, id, bundleImage, net),
                work -> DaemonThread.run("fence the bundle", work));
        ctx.produce(BUNDLE, new StartedBundle(id, started, fenced));
        // the fencing helper ends before the bundle goes: one made after the bottle's last sweep would be left
        return () -> net.removals().submit("bundle", () -> {
            started.handle((ok, failure) -> null).join();
            fenced.handle((ok, failure) -> null).join();
            e.remove(id);
        });
    }

    /**
     * Creates and starts the guest while the bundle starts: the guest's env names the bundle, so
     * it needs no address to be created. Once the bundle has one, root adds it to the guest's
     * hosts file while the guest is provisioned.
     */
    private Undo startGuest(StepContext ctx) throws Exception {
        DockerEngine e = engines.get();
        BottleNetwork net = ctx.result(NETWORK);
        StartedBundle bundle = ctx.result(BUNDLE);
        String bundleImage = ctx.result(IMAGES).bundle();
        List<String> guestEnv = request.resolvedGuestEnv(ctx.result(Backend.ENDPOINTS)::get).entrySet().stream()
                .map(v -> v.getKey() + "=" + v.getValue()).toList();
        int cores = e.cpus();
        if (limits().asksMoreCpusThan(cores)) {
            events.warn("bottle " + slug() + " asks for " + limits().cpusText() + "; the Docker engine has " + cores
                    + ", so the guest gets " + cores);
        }
        // The idle main process is root so provisioning can exec as root; with no-new-privileges on the
        // container, the agent (exec'd as node) can never gain privileges, not even through setuid binaries.
        // Root may trace, so the probes can read every process's environment, the agent's too; the agent,
        // never root, never holds that capability.
        ContainerSpec spec = new ContainerSpec(network() + "-guest", ctx.result(IMAGES).agent(), guestEnv,
                Labels.of(request.spec(), "guest"), network(), List.of(), List.of(), Optional.of(Guest.ROOT),
                List.of(), List.of("sleep", "infinity"), List.of(), List.of("SYS_PTRACE"), List.of(),
                Optional.of(slug()))
                .withLimits(ContainerSpec.Limits.of(limits(), cores));
        String id = createCapped(e, spec);
        Undo undo = () -> net.removals().submit("guest", () -> e.remove(id));
        try {
            e.start(id);
        } catch (RuntimeException failure) {
            undo.undo();
            throw failure;
        }
        CompletableFuture<Void> named = DaemonThread.run("name the bundle in the guest",
                () -> nameBundle(e, id, bundle));
        CompletableFuture<Void> fenced = DaemonThread.run("fence the guest",
                () -> fenceGuest(e, id, bundleImage, net));
        ctx.produce(GUEST_SETUP, new GuestSetup(named, fenced));
        ctx.produce(Backend.GUEST, new DockerGuest(e, id, request.spec().guestHome()));
        // the guest's helpers end before it goes: one made after the bottle's last sweep would be left behind
        return () -> net.removals().submit("guest", () -> {
            named.handle((ok, failure) -> null).join();
            fenced.handle((ok, failure) -> null).join();
            e.remove(id);
        });
    }

    /**
     * Creates the guest as capped as the engine can: an engine without the cpu cgroup controller gets
     * it without a CPU cap, and says so. CPU is shared in time, not used up; memory and processes,
     * which are, stay capped, or the engine refuses the guest.
     */
    private String createCapped(DockerEngine e, ContainerSpec spec) {
        try {
            return e.createContainer(spec);
        } catch (CpuCapRefused refused) {
            events.warn(refused.getMessage() + "; bottle " + slug() + " runs with its memory and processes capped "
                    + "but not its CPU (" + refused.hint().orElse("") + ")");
            return e.createContainer(spec.withLimits(new ContainerSpec.Limits(limits().memoryBytes(), limits().pids(),
                    Optional.empty())));
        }
    }

    /** Adds the bundle's address, once it started, to the guest's hosts file. */
    private void nameBundle(DockerEngine e, String guestId, StartedBundle bundle) {
        try {
            join(bundle.started());
        } catch (RuntimeException failure) {
            throw new BottleException("the bundle container did not start: " + failure.getMessage(),
                    "that is the Docker engine's reason; 'bottle doctor' checks the engine and the images", failure);
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = e.exec(guestId, Guest.ROOT, GuestHosts.addBundle(e.ipAddress(bundle.id(), network())), List.of(),
                java.io.OutputStream.nullOutputStream(), err);
        if (code != 0) {
            throw new BottleException("adding the bundle to the guest's /etc/hosts failed (exit " + code + "): "
                    + err.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    /** Waits for {@code work}; its failure is thrown as it was thrown. */
    private static void join(CompletableFuture<Void> work) {
        try {
            work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * A short-lived helper sharing the guest's network namespace fences it ({@link GuestFence});
     * the guest itself never holds the capability to undo it.
     */
    private void fenceGuest(DockerEngine e, String guestId, String bundleImage, BottleNetwork net) {
        iptables(e, bundleImage, "guest-fence", guestId, "fencing the guest", GuestFence.rules(net.subnet()));
    }

    /**
     * The host reaches the bottle's network through its bridge address; a short-lived helper in the
     * bundle's network namespace refuses that address on the daemons' ports, so only the bottle's
     * own network reaches them. The bundle itself never holds the capability.
     */
    private void fenceBundle(DockerEngine e, String bundleId, String bundleImage, BottleNetwork net) {
        String ports = request.daemons().stream().map(d -> Integer.toString(d.port())).collect(Collectors.joining(","));
        iptables(e, bundleImage, "bundle-fence", bundleId, "fencing the bundle from the host", List.of(List.of("-I",
                "INPUT", "-p", "tcp", "-s", net.subnet().gateway(), "-m", "multiport", "--dports", ports, "-j", "REJECT",
                "--reject-with", "tcp-reset")));
    }

    /**
     * Runs iptables with each of {@code rules}, in order, in a short-lived helper sharing
     * {@code containerId}'s network namespace; the helper is removed whatever happens.
     */
    private void iptables(DockerEngine e, String image, String name, String containerId, String what,
                          List<List<String>> rules) {
        String script = rules.stream().map(rule -> "iptables " + String.join(" ", rule))
                .collect(Collectors.joining(" && "));
        NamespaceHelper.Ran ran = NamespaceHelper.run(e, NamespaceHelper.spec(network() + "-" + name, image,
                Labels.of(request.spec(), "helper"), containerId, List.of("NET_ADMIN"), script), false);
        if (ran.exitCode() != 0) {
            List<String> last = ran.output().subList(Math.max(0, ran.output().size() - 5), ran.output().size());
            throw new BottleException(what + " failed (iptables exited " + ran.exitCode() + "): "
                    + String.join(" ", last), "the bundle image needs iptables");
        }
    }
}
