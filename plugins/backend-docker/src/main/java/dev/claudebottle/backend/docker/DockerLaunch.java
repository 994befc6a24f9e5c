package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.bundle.BundleVariables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One bottle on Docker: images, a per-bottle internal network, the bundle on it and on the egress
 * network, and the guest on the internal network only, as the agent user, with its embedded
 * resolver blocked. Each step leaves an undo; secrets go to the bundle's env only.
 */
final class DockerLaunch implements BackendLaunch {
    private final LaunchRequest request;
    private final Supplier<DockerEngine> engines;
    private final Optional<Path> imagesDir;
    private final HostEnvironment env;
    private final EventSink events;
    private DockerEngine engine;
    private String agentImage;
    private String bundleImage;
    private String bundleId;
    private DockerGuest guest;
    private CompletableFuture<Void> bundleStarted = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> bundleNamed = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> resolverBlocked = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> bundleFenced = CompletableFuture.completedFuture(null);
    private DockerEngine.Subnet subnet;
    /** Resources asked for and not yet removed; a creation that failed midway stays counted. */
    private final AtomicInteger outstanding = new AtomicInteger();
    /** The guest and the bundle are removed side by side; the network goes once both are gone. */
    private final BackgroundRemovals removals = new BackgroundRemovals();

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

    private String egressNetwork() {
        return EgressNetwork.name(env);
    }

    private String slug() {
        return request.spec().slug();
    }

    @Override
    public List<Step> steps() {
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("docker.images", Phase.LAUNCH, "find or build the agent and bundle images", ctx -> {
                    images();
                    return () -> { };
                }),
                new Step("docker.network", Phase.LAUNCH, List.of("docker.images"), "create internal network "
                        + network() + " (no route out; labels claude-bottle.slug=" + slug() + ")", ctx -> {
                            engine().createNetwork(network(), true, Labels.of(request.spec(), "network"));
                            subnet = engine().subnet(network());
                            return () -> {
                                removals.awaitAll();
                                engine().removeNetwork(network());
                            };
                        }),
                new Step("docker.bundle", Phase.LAUNCH, List.of("docker.network"),
                        "start the bundle container (" + daemons + ") on " + network() + " and " + egressNetwork()
                                + ", " + request.bundleMounts().size() + " mount(s), " + request.bundleEnv().size()
                                + " env entries; the guest starts meanwhile", ctx -> startBundle()),
                new Step("docker.guest", Phase.LAUNCH, List.of("docker.bundle"),
                        "start the guest container on " + network() + " only (agent as node, no new privileges), "
                                + "reaching the bundle as " + GuestHosts.BUNDLE + ", its resolver blocked, "
                                + request.guestEnv().size() + " env entries", ctx -> startGuest()),
                // The bundle's JVM starts, its name reaches the guest's hosts file and the resolver is
                // blocked while the guest is provisioned; the agent waits for all three here.
                Step.of("docker.ready", Phase.FINISH, "wait until the guest's resolver is blocked, its /etc/hosts "
                        + "names the bundle, the bundle's daemons (" + daemons + ") listen on the bottle's network "
                        + "only and refuse the host", ctx -> {
                            join(bundleNamed);
                            join(resolverBlocked);
                            join(bundleFenced);
                            bundle().awaitReady(engine(), bundleId);
                            return () -> { };
                        }));
    }

    private synchronized DockerEngine engine() {
        if (engine == null) {
            engine = engines.get();
        }
        return engine;
    }

    private void images() {
        LaunchImages images = LaunchImages.resolve(engine(), imagesDir, env, events);
        agentImage = images.agent();
        bundleImage = images.bundle();
    }

    /** Creates the bundle and starts it in the background: the guest starts meanwhile. */
    private dev.claudebottle.spi.Undo startBundle() throws Exception {
        DockerEngine e = engine();
        EgressNetwork.ensure(e, env);
        // The daemons listen on the bottle's network only: the egress network never reaches them.
        String id = create(bundle().spec(network() + "-bundle", network(), List.of(),
                List.of(BundleVariables.LISTEN_SUBNET.name() + "=" + subnet.cidr())));
        bundleId = id;
        dev.claudebottle.spi.Undo undo = () -> removals.submit("bundle", () -> {
            bundleStarted.handle((ok, failure) -> null).join();
            remove(id);
        });
        try {
            e.connect(egressNetwork(), id, List.of());
        } catch (RuntimeException failure) {
            undo.undo();
            throw failure;
        }
        bundleStarted = DaemonThread.run("start the bundle", () -> e.start(id));
        bundleFenced = bundleStarted.thenRunAsync(() -> fenceBundle(e, id),
                work -> DaemonThread.run("fence the bundle", work));
        return undo;
    }

    private BundleContainer bundle() {
        return new BundleContainer(request, bundleImage);
    }

    /**
     * Creates and starts the guest while the bundle starts: the guest's env names the bundle, so
     * it needs no address to be created. Once the bundle has one, root adds it to the guest's
     * hosts file while the guest is provisioned.
     */
    private dev.claudebottle.spi.Undo startGuest() throws Exception {
        DockerEngine e = engine();
        List<String> guestEnv = request.resolvedGuestEnv(this::endpoint).entrySet().stream()
                .map(v -> v.getKey() + "=" + v.getValue()).toList();
        // The idle main process is root so provisioning can exec as root; with no-new-privileges on the
        // container, the agent (exec'd as node) can never gain privileges, not even through setuid binaries.
        String id = create(new ContainerSpec(network() + "-guest", agentImage, guestEnv,
                Labels.of(request.spec(), "guest"), network(), List.of(), List.of(), Optional.of(Guest.ROOT),
                List.of(), List.of("sleep", "infinity"), List.of(), List.of(), List.of(), Optional.of(slug())));
        dev.claudebottle.spi.Undo undo = () -> removals.submit("guest", () -> remove(id));
        try {
            e.start(id);
        } catch (RuntimeException failure) {
            undo.undo();
            throw failure;
        }
        bundleNamed = DaemonThread.run("name the bundle in the guest", () -> nameBundle(e, id));
        resolverBlocked = DaemonThread.run("block the resolver", () -> blockResolver(e, id));
        guest = new DockerGuest(e, id, request.spec().guestHome());
        return undo;
    }

    /** Adds the bundle's address, once it started, to the guest's hosts file. */
    private void nameBundle(DockerEngine e, String guestId) {
        try {
            join(bundleStarted);
        } catch (RuntimeException failure) {
            throw new BottleException("the bundle container did not start: " + failure.getMessage(),
                    "that is the Docker engine's reason; 'bottle doctor' checks the engine and the images", failure);
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = e.exec(guestId, Guest.ROOT, GuestHosts.addBundle(e.ipAddress(bundleId, network())), List.of(),
                java.io.OutputStream.nullOutputStream(), err);
        if (code != 0) {
            throw new BottleException("adding the bundle to the guest's /etc/hosts failed (exit " + code + "): "
                    + err.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    private String create(ContainerSpec spec) {
        outstanding.incrementAndGet();
        return engine().createContainer(spec);
    }

    private void remove(String id) {
        engine().remove(id);
        outstanding.decrementAndGet();
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
     * Docker answers DNS inside user-defined networks at 127.0.0.11 and, before engine 25.0.5,
     * forwards what it cannot answer even from internal networks. A short-lived helper sharing the
     * guest's network namespace rejects that address, so the guest has no resolver at all; the
     * guest itself never holds the capability to undo it.
     */
    private void blockResolver(DockerEngine e, String guestId) {
        iptables(e, "resolver-block", guestId, "blocking the guest's resolver",
                List.of("-I", "OUTPUT", "-d", "127.0.0.11", "-j", "REJECT"));
    }

    /**
     * The host reaches the bottle's network through its bridge address; a short-lived helper in the
     * bundle's network namespace refuses that address on the daemons' ports, so only the bottle's
     * own network reaches them. The bundle itself never holds the capability.
     */
    private void fenceBundle(DockerEngine e, String bundleId) {
        String ports = request.daemons().stream().map(d -> Integer.toString(d.port())).collect(Collectors.joining(","));
        iptables(e, "bundle-fence", bundleId, "fencing the bundle from the host", List.of("-I", "INPUT", "-p", "tcp",
                "-s", subnet.gateway(), "-m", "multiport", "--dports", ports, "-j", "REJECT", "--reject-with",
                "tcp-reset"));
    }

    /** Runs iptables with {@code rule} in a short-lived helper sharing {@code containerId}'s network namespace. */
    private void iptables(DockerEngine e, String name, String containerId, String what, List<String> rule) {
        String id = create(new ContainerSpec(network() + "-" + name, bundleImage, List.of(),
                Labels.of(request.spec(), "helper"), "container:" + containerId, List.of(), List.of(),
                Optional.of("root"), List.of("iptables"), rule, List.of(), List.of("NET_ADMIN"), List.of(),
                Optional.empty()));
        try {
            e.start(id);
            int code = e.waitForExit(id, Duration.ofSeconds(30));
            if (code != 0) {
                throw new BottleException(what + " failed (iptables exited " + code + "): "
                        + String.join(" ", e.logs(id, 5)), "the bundle image needs iptables");
            }
        } finally {
            remove(id);
        }
    }

    @Override
    public void removeAll() {
        try {
            removals.awaitAll();
        } catch (RuntimeException e) {
            // what a removal left behind is found by its labels below
        }
        if (outstanding.get() == 0) {
            // everything created was removed by its own undo; nothing is left to look for
            return;
        }
        DockerEngine e = engine();
        for (String id : e.containers(java.util.Map.of(Labels.SLUG, slug()))) {
            e.remove(id);
        }
        for (String network : e.networks(java.util.Map.of(Labels.SLUG, slug()))) {
            e.removeNetwork(network);
        }
    }

    @Override
    public Guest guest() {
        if (guest == null) {
            throw new IllegalStateException("the guest does not run before the launch steps ran");
        }
        return guest;
    }

    @Override
    public Endpoint endpoint(String portName) {
        GuestPort port = request.ports().stream().filter(p -> p.name().equals(portName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no port named " + portName));
        return new Endpoint(GuestHosts.BUNDLE, port.port());
    }
}
