package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.backend.docker.BundleContainer;
import dev.claudebottle.backend.docker.ContainerSpec;
import dev.claudebottle.backend.docker.DockerEngine;
import dev.claudebottle.backend.docker.EgressNetwork;
import dev.claudebottle.backend.docker.ImageBuilder;
import dev.claudebottle.backend.docker.Labels;
import dev.claudebottle.backend.docker.LaunchImages;
import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The smolvm realisation of one launch: pack the agent image, start the bundle on Docker with its
 * agent-facing ports on the bottle's loopback address, then create the VM from the pack allowed
 * only that address, and start it. Each step leaves an undo; secrets stay in the bundle's env.
 */
final class SmolmachinesLaunch implements BackendLaunch {
    private final LaunchRequest request;
    private final Loopback loopback;
    private final Supplier<DockerEngine> engines;
    private final BottlePaths paths;
    private final HostEnvironment env;
    private final EventSink events;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private DockerEngine engine;
    private SmolvmInstall smolvm;
    private LaunchImages images;
    private Path artifact;
    private String bundleId;
    private SmolvmGuest guest;
    private volatile boolean touched;
    private volatile boolean machineExists;

    SmolmachinesLaunch(LaunchRequest request, Loopback loopback, Supplier<DockerEngine> engines, BottlePaths paths,
                       HostEnvironment env, EventSink events) {
        this.request = request;
        this.loopback = loopback;
        this.engines = engines;
        this.paths = paths;
        this.env = env;
        this.events = events;
    }

    static String machineName(String slug) {
        return "claude-bottle-" + slug;
    }

    private String slug() {
        return request.spec().slug();
    }

    private String machine() {
        return machineName(slug());
    }

    @Override
    public List<Step> steps() {
        String ports = request.ports().stream().map(p -> p.name() + ":" + p.port()).collect(Collectors.joining(", "));
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("smolvm.check", Phase.LAUNCH, "find smolvm, read its version (argv grammar; refuse versions "
                        + "that drop the egress allowlist of packed machines)", ctx -> {
                            check();
                            return () -> { };
                        }),
                new Step("smolvm.pack", Phase.LAUNCH, List.of("smolvm.check"), "find or build the agent and bundle "
                        + "images; pack the agent image into a .smolmachine through a local registry (cached by "
                        + "image id)", ctx -> {
                            pack();
                            return () -> { };
                        }),
                new Step("smolvm.bundle", Phase.LAUNCH, List.of("smolvm.pack"), "start the bundle container ("
                        + daemons + ") on Docker with " + ports + " published on " + loopback.address() + ", "
                        + request.bundleMounts().size() + " mount(s), " + request.bundleEnv().size() + " env entries",
                        ctx -> startBundle()),
                new Step("smolvm.create", Phase.LAUNCH, List.of("smolvm.bundle"), "smolvm machine create "
                        + machine() + " from the pack with --allow-cidr " + loopback.address() + "/32 only",
                        ctx -> create()),
                new Step("smolvm.start", Phase.LAUNCH, List.of("smolvm.create"), "smolvm machine start " + machine()
                        + "; " + request.guestEnv().size() + " env entries passed on every exec", ctx -> start()),
                Step.of("smolvm.ready", Phase.FINISH, "wait until the bundle's daemons (" + daemons + ") listen",
                        ctx -> {
                            new BundleContainer(request, images.bundle()).awaitReady(engine(), bundleId);
                            return () -> { };
                        }));
    }

    private synchronized DockerEngine engine() {
        if (engine == null) {
            engine = engines.get();
        }
        return engine;
    }

    private void check() {
        smolvm = SmolvmInstall.detect(env);
        if (!smolvm.version().atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)) {
            if (!request.spec().insecureEgress()) {
                throw new EnvironmentException("smolvm " + smolvm.version() + " ignores --allow-cidr on machines "
                        + "created from a pack, so the guest would reach any address, not only its bundle",
                        "upgrade smolvm to 1.8.0 or later, or accept unfiltered egress with --insecure-egress");
            }
            events.warn("smolvm " + smolvm.version() + " ignores the egress allowlist of packed machines: bottle "
                    + slug() + " can reach any address (--insecure-egress)");
        }
        loopback.warning().ifPresent(events::warn);
    }

    private void pack() {
        DockerEngine e = engine();
        images = LaunchImages.resolve(e, imagesDir(), env, events);
        String imageId = e.imageId(images.agent()).orElseThrow(() -> new BottleException("the agent image "
                + images.agent() + " is not in the engine"));
        Packer packer = new Packer(e, new Smolvm(env), smolvm.commands(), paths.home().resolve("cache")
                .resolve("smolmachines"), events);
        java.util.Optional<Path> cached = packer.cached(imageId);
        if (cached.isPresent()) {
            artifact = cached.get();
            return;
        }
        String registryImage = new ImageBuilder(e, imagesDir().orElseThrow(() -> new BottleException(
                "the distribution's images folder is unknown", "run bottle from its distribution")), events)
                .ensure("registry").tag();
        touched = true;
        String daemonHost = e.info().operatingSystem().contains("Docker Desktop") ? "host.docker.internal"
                : "localhost";
        artifact = packer.pack(images.agent(), imageId, registryImage, slug(), paths.home(), daemonHost);
    }

    private java.util.Optional<Path> imagesDir() {
        return paths.distribution().map(d -> d.resolve("images"));
    }

    private Undo startBundle() {
        DockerEngine e = engine();
        String egress = EgressNetwork.ensure(e, env);
        List<ContainerSpec.Published> publish = new ArrayList<>();
        for (GuestPort port : request.ports()) {
            publish.add(new ContainerSpec.Published(loopback.address(), port.port()));
        }
        touched = true;
        String id = e.createContainer(new BundleContainer(request, images.bundle())
                .spec(machine() + "-bundle", egress, publish));
        try {
            e.start(id);
            for (GuestPort port : request.ports()) {
                endpoints.put(port.name(), new Endpoint(loopback.address(), e.publishedPort(id, port.port())));
            }
            bundleId = id;
        } catch (RuntimeException failure) {
            e.remove(id);
            throw failure;
        }
        return () -> e.remove(id);
    }

    private Undo create() {
        Smolvm run = new Smolvm(env);
        machineExists = true;
        run.check(smolvm.commands().create(machine(), artifact, List.of(loopback.address() + "/32")),
                "creating machine " + machine());
        return () -> {
            run.capture(smolvm.commands().delete(machine()));
            machineExists = false;
        };
    }

    private Undo start() throws Exception {
        Smolvm run = new Smolvm(env);
        run.check(smolvm.commands().start(machine()), "starting machine " + machine());
        Map<String, String> guestEnv = request.resolvedGuestEnv(this::endpoint);
        new GuestEnvFile(request.spec().stateDir()).write(guestEnv);
        guest = new SmolvmGuest(run, smolvm.commands(), machine(), guestEnv, request.spec().guestHome());
        return () -> run.capture(smolvm.commands().stop(machine()));
    }

    @Override
    public void removeAll() {
        if (!touched) {
            return;
        }
        if (machineExists) {
            Smolvm run = new Smolvm(env);
            run.capture(smolvm.commands().stop(machine()));
            run.capture(smolvm.commands().delete(machine()));
        }
        DockerEngine e = engine();
        for (String id : e.containers(Map.of(Labels.SLUG, slug()))) {
            e.remove(id);
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
        Endpoint e = endpoints.get(portName);
        if (e == null) {
            if (request.ports().stream().noneMatch(p -> p.name().equals(portName))) {
                throw new IllegalArgumentException("no port named " + portName);
            }
            throw new IllegalStateException("port " + portName + " is not published before the bundle runs");
        }
        return e;
    }
}
