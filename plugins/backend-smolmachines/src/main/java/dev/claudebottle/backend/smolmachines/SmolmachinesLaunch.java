package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.backend.docker.BundleContainer;
import dev.claudebottle.backend.docker.ContainerSpec;
import dev.claudebottle.backend.docker.DockerEngine;
import dev.claudebottle.backend.docker.EgressNetwork;
import dev.claudebottle.backend.docker.GuestReach;
import dev.claudebottle.backend.docker.ImageBuilder;
import dev.claudebottle.backend.docker.LaunchImages;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Endpoints;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.manifest.GuestLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The smolvm realisation of one launch: pack the agent image, start the bundle on Docker with its
 * agent-facing ports on the bottle's loopback address, then create the VM from the pack allowed
 * only that address, and start it. Each step leaves an undo and hands what it made to the next as
 * a typed result; the steps hold no state. Secrets stay in the bundle's env.
 */
final class SmolmachinesLaunch {
    private static final ResultKey<SmolvmInstall> INSTALL = new ResultKey<>("smolvm.check", SmolvmInstall.class);
    private static final ResultKey<Pack> PACK = new ResultKey<>("smolvm.pack", Pack.class);
    private static final ResultKey<String> BUNDLE_ID = new ResultKey<>("smolvm.bundle", String.class);
    private final LaunchRequest request;
    private final Loopback loopback;
    private final Supplier<DockerEngine> engines;
    private final BottlePaths paths;
    private final HostEnvironment env;
    private final EventSink events;

    /**
     * The images a launch uses and the agent image packed as a machine.
     *
     * @param images   the agent and bundle images
     * @param artifact the {@code .smolmachine} pack of the agent image
     */
    private record Pack(LaunchImages images, Path artifact) {
    }

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

    List<Step> steps() {
        String ports = request.ports().stream().map(p -> p.name() + ":" + p.port()).collect(Collectors.joining(", "));
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("smolvm.check", Phase.LAUNCH, "find smolvm, read its version (argv grammar; refuse versions "
                        + "that drop the egress allowlist of packed machines)", ctx -> {
                            ctx.produce(INSTALL, check());
                            return Undo.NONE;
                        }),
                new Step("smolvm.pack", Phase.LAUNCH, List.of("smolvm.check"), "find or build the agent and bundle "
                        + "images; pack the agent image into a .smolmachine through a local registry (cached by "
                        + "image id)", ctx -> {
                            ctx.produce(PACK, pack(ctx.result(INSTALL)));
                            return Undo.NONE;
                        }),
                new Step("smolvm.bundle", Phase.LAUNCH, List.of("smolvm.pack"), "start the bundle container ("
                        + daemons + ") on Docker with " + ports + " published on " + loopback.address() + ", "
                        + request.bundleMounts().size() + " mount(s), " + request.bundleEnv().size() + " env entries",
                        this::startBundle),
                new Step("smolvm.create", Phase.LAUNCH, List.of("smolvm.bundle"), "smolvm machine create "
                        + machine() + " from the pack with --allow-cidr " + loopback.address() + "/32 only, "
                        + "sized by its limits (memory " + limits().memory() + ", " + limits().cpusText()
                        + " as whole vCPUs; its processes are the machine's, not the host's)", this::create),
                new Step("smolvm.start", Phase.LAUNCH, List.of("smolvm.create"), "smolvm machine start " + machine()
                        + "; " + request.guestEnv().size() + " env entries passed on every exec", this::start),
                Step.of("smolvm.ready", Phase.FINISH, "wait until the bundle's daemons (" + daemons + ") listen",
                        ctx -> {
                            new BundleContainer(request, ctx.result(PACK).images().bundle())
                                    .awaitReady(engines.get(), ctx.result(BUNDLE_ID));
                            return Undo.NONE;
                        }),
                Probe.step("smolvm.no-route", "the machine connects to no host address but its bundle's: not "
                        + "127.0.0.1, not the Docker host's bridge, not the egress network's gateway ("
                        + GuestReach.PORTS.size() + " ports each)", ctx -> GuestReach.noConnection(ctx.guest(),
                        hostAddresses())),
                Probe.step("smolvm.no-dns", "the machine resolves no name, not even its bundle's container ("
                        + machine() + "-bundle)", ctx -> GuestReach.noAnswer(ctx.guest(), machine() + "-bundle")));
    }

    /** Addresses of this host the machine must not reach: its loopback, and its Docker bridges' gateways. */
    private List<String> hostAddresses() {
        DockerEngine e = engines.get();
        List<String> addresses = new ArrayList<>(List.of("127.0.0.1"));
        for (String network : List.of("bridge", EgressNetwork.name(env))) {
            try {
                addresses.add(e.subnet(network).gateway());
            } catch (RuntimeException absent) {
                // an engine without that network has no address there to reach
            }
        }
        return addresses;
    }

    private SmolvmInstall check() {
        SmolvmInstall smolvm = SmolvmInstall.detect(env);
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
        return smolvm;
    }

    private Pack pack(SmolvmInstall smolvm) {
        DockerEngine e = engines.get();
        LaunchImages images = LaunchImages.resolve(e, imagesDir(), env, events);
        String imageId = e.imageId(images.agent()).orElseThrow(() -> new BottleException("the agent image "
                + images.agent() + " is not in the engine"));
        Packer packer = new Packer(e, new Smolvm(env), smolvm.commands(), paths.home().resolve("cache")
                .resolve("smolmachines"), events);
        java.util.Optional<Path> cached = packer.cached(imageId);
        if (cached.isPresent()) {
            return new Pack(images, cached.get());
        }
        String registryImage = new ImageBuilder(e, imagesDir().orElseThrow(() -> new BottleException(
                "the distribution's images folder is unknown", "run bottle from its distribution")), events)
                .ensure("registry").tag();
        String daemonHost = e.info().operatingSystem().contains("Docker Desktop") ? "host.docker.internal"
                : "localhost";
        return new Pack(images, packer.pack(images.agent(), imageId, registryImage, slug(), paths.home(), daemonHost));
    }

    private java.util.Optional<Path> imagesDir() {
        return paths.distribution().map(d -> d.resolve("images"));
    }

    private Undo startBundle(StepContext ctx) {
        DockerEngine e = engines.get();
        String egress = EgressNetwork.ensure(e, env);
        List<ContainerSpec.Published> publish = new ArrayList<>();
        for (GuestPort port : request.ports()) {
            publish.add(new ContainerSpec.Published(loopback.address(), port.port()));
        }
        BundleContainer bundle = new BundleContainer(request, ctx.result(PACK).images().bundle());
        String id = bundle.create(e, bundle.spec(machine() + "-bundle", egress, publish));
        try {
            e.start(id);
            Map<String, Endpoint> endpoints = new HashMap<>();
            for (GuestPort port : request.ports()) {
                endpoints.put(port.name(), new Endpoint(loopback.address(), e.publishedPort(id, port.port())));
            }
            ctx.produce(Backend.ENDPOINTS, new Endpoints(endpoints));
            ctx.produce(BUNDLE_ID, id);
        } catch (RuntimeException failure) {
            e.remove(id);
            throw failure;
        }
        return () -> e.remove(id);
    }

    private Undo create(StepContext ctx) {
        Smolvm run = new Smolvm(env);
        SmolvmCommands commands = ctx.result(INSTALL).commands();
        Undo delete = () -> run.capture(commands.delete(machine()));
        try {
            run.check(commands.create(machine(), ctx.result(PACK).artifact(), List.of(loopback.address() + "/32"),
                    size()), "creating machine " + machine());
        } catch (RuntimeException failure) {
            // a create that failed midway may leave the machine behind
            run.capture(commands.delete(machine()));
            throw failure;
        }
        return delete;
    }

    private GuestLimits limits() {
        return request.spec().bottle().limits();
    }

    /** smolvm runs the machine on this host: its cores are the ones to count. */
    private MachineSize size() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (limits().asksMoreCpusThan(cores)) {
            events.warn("bottle " + slug() + " asks for " + limits().cpusText() + "; this host has " + cores
                    + ", so the machine gets " + cores);
        }
        return MachineSize.of(limits(), cores);
    }

    private Undo start(StepContext ctx) throws Exception {
        Smolvm run = new Smolvm(env);
        SmolvmCommands commands = ctx.result(INSTALL).commands();
        Undo stop = () -> run.capture(commands.stop(machine()));
        try {
            run.check(commands.start(machine()), "starting machine " + machine());
            Map<String, String> guestEnv = request.resolvedGuestEnv(ctx.result(Backend.ENDPOINTS)::get);
            new GuestEnvFile(request.spec().stateDir()).write(guestEnv);
            ctx.produce(Backend.GUEST, new SmolvmGuest(run, commands, machine(), guestEnv,
                    request.spec().guestHome()));
        } catch (Exception failure) {
            stop.undo();
            throw failure;
        }
        return stop;
    }
}
