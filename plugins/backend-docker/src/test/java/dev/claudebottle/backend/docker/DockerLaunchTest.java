package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.HostConfig;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Event;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.GuestLimits;
import dev.claudebottle.spi.manifest.Location;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order and overlap of a Docker launch's steps, against an engine that records what it is asked. */
class DockerLaunchTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private static final String LISTENING = "2026-11-22 gateway: listening on /0.0.0.0:8888 for bottle demo-0001";
    private static final HostEnvironment IMAGES = HostEnvironment.of(Map.of("CLAUDE_BOTTLE_IMAGE", "agent:test",
            "CLAUDE_BOTTLE_BUNDLE_IMAGE", "bundle:test"));

    @TempDir
    Path state;

    @Test
    void theGuestStartsWhileTheBundleStartsAndReachesItByNameOnceItHasAnAddress() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        DockerLaunch launch = launch(engine);
        Results results = new Results();

        run(results, launch, "docker.images");
        run(results, launch, "docker.network");
        run(results, launch, "docker.bundle");
        run(results, launch, "docker.guest");
        run(results, launch, "docker.ready");
        assertThat(launch.steps()).filteredOn(s -> s.phase() == dev.claudebottle.spi.Phase.VERIFY).extracting(Step::id)
                .containsExactly("docker.no-route", "docker.no-dns", "docker.fence-intact");

        assertThat(engine.bundleStartedAfterGuest.getCount()).as("the bundle's start waited for the guest's").isZero();
        assertThat(engine.copiedInto).as("the bundle's values are put into it, before it starts").contains("bundle-id");
        ContainerSpec guest = engine.created.get("guest");
        assertThat(guest.binds()).isEmpty();
        assertThat(guest.extraHosts()).isEmpty();
        assertThat(guest.hostname()).contains("demo-0001");
        assertThat(guest.capAdd()).as("root may read every process's environment; the agent is never root")
                .containsExactly("SYS_PTRACE");
        assertThat(DockerJavaEngine.hostConfig(guest).getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(guest.env()).contains("HTTPS_PROXY=http://claude-bottle-bundle:8888");
        assertThat(engine.rootExecs).containsExactly(GuestHosts.addBundle("172.30.4.2"));
        assertThat(results.result(Backend.ENDPOINTS).get("gateway").toString()).isEqualTo("claude-bottle-bundle:8888");
        assertThat(results.result(Backend.GUEST)).isInstanceOf(DockerGuest.class);
        assertThat(engine.created.get("bundle").env()).contains("CLAUDE_BOTTLE_LISTEN_SUBNET=172.30.4.0/24");
        ContainerSpec fence = engine.all.stream().filter(c -> c.networkMode().equals("container:bundle-id"))
                .findFirst().orElseThrow();
        assertThat(fence.cmd()).singleElement().asString()
                .contains("iptables -I INPUT -p tcp -s 172.30.4.1 -m multiport --dports 8888 -j REJECT");
        ContainerSpec guestFence = engine.all.stream().filter(c -> c.networkMode().equals("container:guest-id"))
                .findFirst().orElseThrow();
        assertThat(guestFence.cmd()).singleElement().asString().contains("iptables -A OUTPUT -d 127.0.0.11 -j REJECT")
                .contains("iptables -A OUTPUT -d 172.30.4.1 -j REJECT")
                .contains("iptables -A OUTPUT ! -d 172.30.4.0/24 -j REJECT");
    }

    @Test
    void theGuestCannotForkAllocateOrSpinWithoutBoundAndTheBundleCannotBeGrownWithoutBound() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        DockerLaunch launch = launch(engine);
        Results results = new Results();
        run(results, launch, "docker.images");
        run(results, launch, "docker.network");
        run(results, launch, "docker.bundle");
        run(results, launch, "docker.guest");

        HostConfig guest = DockerJavaEngine.hostConfig(engine.created.get("guest"));
        assertThat(guest.getPidsLimit()).as("processes the guest may have").isEqualTo(2048L);
        assertThat(guest.getMemory()).as("the guest's memory").isEqualTo(4L << 30);
        assertThat(guest.getMemorySwap()).as("memory and swap together: no swap beyond the memory").isEqualTo(4L << 30);
        assertThat(guest.getNanoCPUs()).as("all of the engine's 4 cores but one").isEqualTo(3_000_000_000L);
        HostConfig bundle = DockerJavaEngine.hostConfig(engine.created.get("bundle"));
        assertThat(bundle.getPidsLimit()).as("processes and threads the bundle may have").isEqualTo(1024L);
        assertThat(bundle.getMemory()).as("the bundle's memory").isEqualTo(2L << 30);
        assertThat(bundle.getMemorySwap()).isEqualTo(2L << 30);
    }

    @Test
    void aBottlesOwnLimitsReachTheGuestAndCoresBeyondTheEnginesAreCutToItsWithAWarning() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        List<Event> events = new CopyOnWriteArrayList<>();
        DockerLaunch launch = launch(engine, new GuestLimits(6L << 30, 256, Optional.of(new BigDecimal(8))),
                events::add);
        Results results = new Results();
        run(results, launch, "docker.images");
        run(results, launch, "docker.network");
        run(results, launch, "docker.bundle");
        run(results, launch, "docker.guest");

        HostConfig guest = DockerJavaEngine.hostConfig(engine.created.get("guest"));
        assertThat(guest.getPidsLimit()).isEqualTo(256L);
        assertThat(guest.getMemory()).isEqualTo(6L << 30);
        assertThat(guest.getMemorySwap()).isEqualTo(6L << 30);
        assertThat(guest.getNanoCPUs()).as("the engine's 4 cores: Docker refuses more").isEqualTo(4_000_000_000L);
        assertThat(events).extracting(Event::message).anySatisfy(m -> assertThat(m)
                .contains("bottle demo-0001 asks for 8 cores; the Docker engine has 4, so the guest gets 4"));
        assertThat(launch.steps()).filteredOn(s -> s.id().equals("docker.guest")).singleElement()
                .extracting(Step::summary).asString()
                .contains("limited to memory 6g (no swap), 256 processes and threads, 8 cores");

        RecordingEngine fractions = new RecordingEngine(null);
        DockerLaunch half = launch(fractions, new GuestLimits(1L << 30, 64, Optional.of(new BigDecimal("0.5"))),
                e -> { });
        Results second = new Results();
        for (String id : List.of("docker.images", "docker.network", "docker.bundle", "docker.guest")) {
            run(second, half, id);
        }
        assertThat(DockerJavaEngine.hostConfig(fractions.created.get("guest")).getNanoCPUs()).isEqualTo(500_000_000L);
    }

    @Test
    void anEngineThatCannotCapCpuRunsTheGuestWithMemoryAndProcessesCappedAndSaysSo() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        engine.refuseCpuCap = true;
        List<Event> events = new CopyOnWriteArrayList<>();
        DockerLaunch launch = launch(engine, GuestLimits.DEFAULT, events::add);
        Results results = new Results();
        for (String id : List.of("docker.images", "docker.network", "docker.bundle", "docker.guest")) {
            run(results, launch, id);
        }

        HostConfig guest = DockerJavaEngine.hostConfig(engine.created.get("guest"));
        assertThat(guest.getNanoCPUs()).isNull();
        assertThat(guest.getMemory()).isEqualTo(4L << 30);
        assertThat(guest.getPidsLimit()).isEqualTo(2048L);
        assertThat(events).extracting(Event::message).anySatisfy(m -> assertThat(m)
                .contains("the Docker engine cannot cap a container's CPU")
                .contains("bottle demo-0001 runs with its memory and processes capped but not its CPU"));
    }

    @Test
    void theLaunchsShortLivedHelpersAreNotCappedLikeTheGuest() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        DockerLaunch launch = launch(engine);
        Results results = new Results();
        for (Step step : launch.steps()) {
            if (step.phase() != dev.claudebottle.spi.Phase.VERIFY) {
                step.action().run(results);
            }
        }
        assertThat(engine.all).filteredOn(c -> c.networkMode().startsWith("container:")).isNotEmpty()
                .allSatisfy(helper -> assertThat(DockerJavaEngine.hostConfig(helper).getPidsLimit()).isNull());
    }

    @Test
    void aBundleThatDoesNotStartFailsTheLaunchBeforeTheAgentAndBothContainersGo() throws Exception {
        RecordingEngine engine = new RecordingEngine(new IllegalStateException("port is already allocated"));
        DockerLaunch launch = launch(engine);
        Results results = new Results();
        run(results, launch, "docker.images");
        Undo network = run(results, launch, "docker.network");
        Undo bundle = run(results, launch, "docker.bundle");
        Undo guest = run(results, launch, "docker.guest");

        assertThatThrownBy(() -> run(results, launch, "docker.ready")).isInstanceOf(BottleException.class)
                .hasMessageContaining("the bundle container did not start: port is already allocated");
        assertThat(engine.rootExecs).isEmpty();
        guest.undo();
        bundle.undo();
        network.undo();

        assertThat(engine.removed).containsExactlyInAnyOrder("guest-id", "bundle-id");
        assertThat(engine.networksRemoved).containsExactly("claude-bottle-demo-0001");
    }

    private DockerLaunch launch(DockerEngine engine) {
        return launch(engine, GuestLimits.DEFAULT, e -> { });
    }

    private DockerLaunch launch(DockerEngine engine, GuestLimits limits, EventSink events) {
        LaunchSpec spec = new LaunchSpec("demo-0001", new AgentDef("demo", "demo", Optional.empty(), Optional.empty(),
                List.of(), AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("demo", Map.of(), EgressDef.DENY_ALL,
                limits, Map.of(), HERE), state, state, Optional.empty(), "docker", "/home/node", false, List.of());
        LaunchRequest request = new LaunchRequest(spec, List.of(new BundleDaemon("gateway", 8888)), List.of(),
                List.of(), List.of(new GuestPort("gateway", 8888)),
                List.of(new GuestEnv("HTTPS_PROXY", "http://{endpoint:gateway}")));
        return new DockerLaunch(request, () -> engine, Optional.empty(), IMAGES, events);
    }

    private static Undo run(Results results, DockerLaunch launch, String id) throws Exception {
        Step step = launch.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        return step.action().run(results);
    }

    @Test
    void theNetworksUndoRemovesAContainerWhoseStepHadNoUndoYet() throws Exception {
        RecordingEngine engine = new RecordingEngine(null);
        DockerLaunch launch = launch(engine);
        Results results = new Results();
        run(results, launch, "docker.images");
        Undo network = run(results, launch, "docker.network");
        // the guest's step is still running when the bottle is torn down: its container exists, its undo does not
        engine.createContainer(new ContainerSpec("claude-bottle-demo-0001-guest", "agent:test", List.of(),
                Map.of(Labels.ROLE, "guest"), "claude-bottle-demo-0001", List.of(), List.of(), Optional.empty(),
                List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty()));

        network.undo();

        assertThat(engine.removed).containsExactly("guest-id");
        assertThat(engine.networksRemoved).containsExactly("claude-bottle-demo-0001");
    }

    @Test
    void theStepsHoldNoStateSoOnePlanCanRunTwice() throws Exception {
        DockerLaunch launch = launch(new RecordingEngine(null));
        List<Step> steps = launch.steps();
        for (int run = 0; run < 2; run++) {
            Results results = new Results();
            for (Step step : steps) {
                if (step.phase() != dev.claudebottle.spi.Phase.VERIFY) {
                    step.action().run(results);
                }
            }
            assertThat(results.result(Backend.GUEST)).isInstanceOf(DockerGuest.class);
        }
    }

    /** The results the steps of one run hand each other, and nothing else. */
    private static final class Results implements StepContext {
        private final Map<ResultKey<?>, Object> values = new ConcurrentHashMap<>();

        @Override
        public LaunchSpec spec() {
            throw new UnsupportedOperationException("the backend's steps take the spec from their request");
        }

        @Override
        public Guest guest() {
            return result(Backend.GUEST);
        }

        @Override
        public Endpoint endpoint(String portName) {
            return result(Backend.ENDPOINTS).get(portName);
        }

        @Override
        public Map<String, String> guestEnv() {
            throw new UnsupportedOperationException("the backend's steps resolve the env themselves");
        }

        @Override
        public EventSink events() {
            return e -> { };
        }

        @Override
        public <T> void produce(ResultKey<T> key, T value) {
            assertThat(values.putIfAbsent(key, value)).as(key.name() + " produced twice").isNull();
        }

        @Override
        public <T> T result(ResultKey<T> key) {
            return key.type().cast(Objects.requireNonNull(values.get(key), key.name()));
        }
    }

    /** Containers named by role; the bundle's start returns only once the guest's started, or fails. */
    private static final class RecordingEngine extends RefusingEngine {
        final Map<String, ContainerSpec> created = new ConcurrentHashMap<>();
        final List<ContainerSpec> all = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();
        final List<String> networksRemoved = new CopyOnWriteArrayList<>();
        final List<List<String>> rootExecs = new CopyOnWriteArrayList<>();
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> copiedInto = new CopyOnWriteArrayList<>();
        final CountDownLatch guestStarted = new CountDownLatch(1);
        final CountDownLatch bundleStartedAfterGuest = new CountDownLatch(1);
        private final RuntimeException bundleStartFailure;
        /** Whether it refuses a CPU cap, as an engine without the cpu cgroup controller does. */
        volatile boolean refuseCpuCap;

        RecordingEngine(RuntimeException bundleStartFailure) {
            this.bundleStartFailure = bundleStartFailure;
        }

        @Override
        public EngineInfo info() {
            throw new UnsupportedOperationException("a launch does not ask");
        }

        @Override
        public int cpus() {
            return 4;
        }

        @Override
        public boolean networkExists(String name) {
            return true;
        }

        @Override
        public String createNetwork(String name, boolean internal, Map<String, String> labels) {
            return name;
        }

        @Override
        public Subnet subnet(String network) {
            return new Subnet("172.30.4.0/24", "172.30.4.1");
        }

        @Override
        public void removeNetwork(String nameOrId) {
            networksRemoved.add(nameOrId);
        }

        @Override
        public String createContainer(ContainerSpec spec) {
            if (refuseCpuCap && spec.limits().flatMap(ContainerSpec.Limits::cpus).isPresent()) {
                throw new CpuCapRefused("NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler "
                        + "or the cgroup is not mounted", null);
            }
            String role = spec.labels().get(Labels.ROLE);
            created.put(role, spec);
            all.add(spec);
            started.remove(role + "-id");
            return role + "-id";
        }

        @Override
        public void connect(String network, String containerId, List<String> aliases) {
        }

        @Override
        public void copy(String containerId, java.io.InputStream tar) {
            if (containerId.equals("bundle-id") && started.contains(containerId)) {
                throw new IllegalStateException("the bundle's values were put into it after it started");
            }
            copiedInto.add(containerId);
        }

        @Override
        public void start(String containerId) {
            started.add(containerId);
            if (containerId.equals("bundle-id")) {
                if (bundleStartFailure != null) {
                    throw bundleStartFailure;
                }
                try {
                    if (!guestStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the guest never started while the bundle started");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                bundleStartedAfterGuest.countDown();
            } else if (containerId.equals("guest-id")) {
                guestStarted.countDown();
            }
        }

        @Override
        public String ipAddress(String containerId, String network) {
            return "172.30.4.2";
        }

        @Override
        public int waitForExit(String containerId, Duration timeout) {
            return 0;
        }

        @Override
        public int exec(String containerId, String user, List<String> argv, List<String> env,
                        java.io.InputStream stdin, java.io.OutputStream stdout, java.io.OutputStream stderr) {
            if (containerId.equals("guest-id") && user.equals("root")) {
                rootExecs.add(argv);
            }
            return 0;
        }

        @Override
        public List<String> logs(String containerId, int tail) {
            return List.of(LISTENING);
        }

        @Override
        public boolean followLogs(String containerId, Duration timeout, java.util.function.Predicate<String> done) {
            return done.test(LISTENING);
        }

        @Override
        public void remove(String containerId) {
            if (!containerId.equals("helper-id")) {
                removed.add(containerId);
            }
        }

        /** The bottle's containers not removed yet: those created, as the engine would find them by label. */
        @Override
        public List<String> containers(Map<String, String> labels) {
            return created.keySet().stream().map(role -> role + "-id")
                    .filter(id -> !id.equals("helper-id") && !removed.contains(id)).toList();
        }
    }
}
