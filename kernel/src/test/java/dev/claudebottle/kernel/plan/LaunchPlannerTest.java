package dev.claudebottle.kernel.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.contract.BundleBase;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.kernel.run.Probes;
import dev.claudebottle.manifest.Agents;
import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.pluginhost.Owned;
import dev.claudebottle.provision.claude.ClaudeProvisioner;
import dev.claudebottle.provision.gateway.GatewayProvisioner;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Provisioner;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlannerTest {
    private static final String KEY = "sk-ant-api03-do-not-print";
    @TempDir
    Path dir;

    /** A backend that records the request it was asked to prepare. */
    static final class RecordingBackend implements Backend {
        final List<LaunchRequest> requests = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public String description() {
            return "records requests";
        }

        @Override
        public List<Check> doctor() {
            return List.of();
        }

        @Override
        public List<dev.claudebottle.spi.BuiltImage> buildImages(dev.claudebottle.spi.ImageBuildRequest request) {
            return List.of();
        }

        @Override
        public List<String> bottles() {
            return List.of();
        }

        @Override
        public void remove(String slug) {
        }

        @Override
        public Optional<Guest> guest(String slug, String guestHome) {
            return Optional.empty();
        }

        @Override
        public List<String> bundleLogs(String slug, int tail) {
            return List.of();
        }

        @Override
        public void followBundleLogs(String slug, java.util.function.Consumer<String> line) {
        }

        @Override
        public List<Step> launchSteps(LaunchRequest request) {
            requests.add(request);
            return List.of(Step.of("rec.start", Phase.LAUNCH, "start", ctx -> Undo.NONE));
        }
    }

    private Manifest manifest() {
        return new ManifestReader(dir.resolve("host-cas")).read("bottle.yaml", dir, """
                version: 1
                bottles:
                  web:
                    env: {NODE_ENV: development}
                    egress:
                      allow: [{host: upstream.test}]
                      routes:
                        - host: api.anthropic.com
                          header: x-api-key
                          value: "${ANTHROPIC_API_KEY}"
                          placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                agents:
                  coder: {bottle: web, prompt: "be careful"}
                """);
    }

    private LaunchPlan plan(RecordingBackend backend, Provisioner... provisioners) {
        List<Owned<Provisioner>> owned = new ArrayList<>();
        owned.add(new Owned<>("provision-claude", new ClaudeProvisioner()));
        owned.add(new Owned<>("provision-gateway", new GatewayProvisioner()));
        for (int i = 0; i < provisioners.length; i++) {
            owned.add(new Owned<>("p" + i, provisioners[i]));
        }
        return new LaunchPlanner(new RouteResolver(HostEnvironment.of(Map.of("ANTHROPIC_API_KEY", KEY)),
                e -> { })).plan(input(manifest(), backend, owned));
    }

    private LaunchPlanner.Input input(Manifest manifest, RecordingBackend backend, List<Owned<Provisioner>> owned) {
        return new LaunchPlanner.Input(manifest, "coder", "coder-0001", dir.resolve("state"), Optional.empty(), false,
                "/home/node", new Owned<>("rec-plugin", backend), owned);
    }

    @Test
    void everyBundleHasTheRecordTheQueueAndTheTrustFileWhicheverFeaturePluginsAreInstalled() {
        RecordingBackend backend = new RecordingBackend();
        Provisioner gitOnly = spec -> Contribution.builder().daemon(new BundleDaemon("git-gate", 9418)).build();
        Manifest closed = new ManifestReader(dir.resolve("host-cas")).read("bottle.yaml", dir, """
                version: 1
                bottles:
                  web: {}
                agents:
                  coder: {bottle: web}
                """);

        LaunchPlan plan = new LaunchPlanner(new RouteResolver(HostEnvironment.of(Map.of()), e -> { }))
                .plan(input(closed, backend, List.of(new Owned<>("provision-git", gitOnly))));

        LaunchRequest request = backend.requests.get(0);
        assertThat(request.bundleMounts()).extracting(m -> m.bundlePath()).as("without the gateway's or supervise's plugin")
                .containsExactly(BundleLayout.AUDIT_DIR, BundleLayout.APPROVAL_QUEUE_DIR, BundleLayout.BASE_DIR);
        assertThat(plan.bundleMounts()).extracting(Owned::pluginId).containsOnly(LaunchPlanner.KERNEL);
        assertThat(request.bundleEnv()).extracting(e -> e.name()).contains(BundleVariables.AUDIT_LOG.name(),
                BundleVariables.APPROVAL_QUEUE.name(), BundleVariables.TRUST.name());
        assertThat(plan.steps()).extracting(s -> s.value().id()).contains(BundleBase.STEP);
    }

    @Test
    void aBottleThatAsksAboutUnknownHostsWithoutTheGatewayPluginIsRefusedByName() {
        Manifest asking = new ManifestReader(dir.resolve("host-cas")).read("bottle.yaml", dir, """
                version: 1
                bottles:
                  web:
                    egress: {unknown: ask}
                agents:
                  coder: {bottle: web}
                """);
        assertThatThrownBy(() -> new LaunchPlanner(new RouteResolver(HostEnvironment.of(Map.of()), e -> { }))
                .plan(input(asking, new RecordingBackend(), List.of())))
                .isInstanceOf(PlanException.class)
                .hasMessage("bottle 'web' sets egress.unknown: ask, but no plugin enables the gateway")
                .satisfies(e -> assertThat(((PlanException) e).hint()).hasValueSatisfying(h -> assertThat(h)
                        .contains("provision-gateway")));
    }

    @Test
    void mergesContributionsAndOrdersEveryStep() {
        RecordingBackend backend = new RecordingBackend();
        Provisioner git = spec -> Contribution.builder()
                .port(new GuestPort("git-gate", 9418))
                .guestEnv("GIT_GATE_URL", "git://{endpoint:git-gate}")
                .step(new Step("git.gitconfig", Phase.PROVISION, List.of("home"), "gitconfig", ctx -> Undo.NONE))
                .step(Step.of("git.config", Phase.PREPARE, "config", ctx -> Undo.NONE))
                .build();
        Provisioner ca = spec -> Contribution.builder()
                .step(Step.of("ca.trust", Phase.SYSTEM, "trust", ctx -> Undo.NONE))
                .build();

        LaunchPlan plan = plan(backend, git, ca);

        assertThat(plan.steps()).extracting(s -> s.value().id()).containsExactly(
                "bundle.base", "gateway.policy", "git.config", "rec.start", "home", "ca.trust", "agent.prompt", "git.gitconfig",
                "agent.claude-config", "gateway.refuses-unknown", "gateway.ca-trusted", "gateway.runtimes-trust",
                "gateway.tripwire", "gateway.no-real-values");
        assertThat(plan.steps()).filteredOn(s -> s.value().id().equals("rec.start"))
                .extracting(Owned::pluginId).containsExactly("rec-plugin");
        LaunchRequest request = backend.requests.get(0);
        assertThat(request.daemons()).extracting(d -> d.name()).containsExactly("gateway");
        assertThat(request.ports()).extracting(GuestPort::name).containsExactly("gateway", "git-gate");
        assertThat(request.guestEnv()).extracting(e -> e.name())
                .contains("NODE_ENV", "HTTPS_PROXY", "ANTHROPIC_API_KEY", "GIT_GATE_URL");
        assertThat(request.guestEnv()).filteredOn(e -> e.name().equals("ANTHROPIC_API_KEY"))
                .extracting(e -> e.template()).containsExactly("bottle-placeholder");
        assertThat(request.bundleEnv()).extracting(e -> e.name() + "=" + e.display())
                .contains("CLAUDE_BOTTLE_SLUG=coder-0001", "CLAUDE_BOTTLE_DAEMONS=gateway");
        assertThat(request.bundleEnv()).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("CLAUDE_BOTTLE_ROUTE_0");
            assertThat(e.secret()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(KEY));
        });
        assertThat(String.valueOf(plan)).doesNotContain(KEY);
        assertThat(String.valueOf(request)).doesNotContain(KEY);
    }

    @Test
    void envReferringToAPortNobodyContributesFails() {
        Provisioner bad = spec -> Contribution.builder().guestEnv("URL", "http://{endpoint:nowhere}").build();
        assertThatThrownBy(() -> plan(new RecordingBackend(), bad))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("guest env URL (p0) refers to port 'nowhere'");
    }

    @Test
    void twoPluginsSettingTheSameGuestEnvFailNamingBoth() {
        Provisioner proxy = spec -> Contribution.builder().guestEnv("HTTPS_PROXY", "http://elsewhere").build();
        assertThatThrownBy(() -> plan(new RecordingBackend(), proxy))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("guest env entry 'HTTPS_PROXY' is contributed twice, by provision-gateway and p0");
    }

    @Test
    void aDaemonTheBundleDoesNotRunFailsThePlanNamingThePlugin() {
        Provisioner extra = spec -> Contribution.builder().daemon(new BundleDaemon("crypto-miner", 7000)).build();
        assertThatThrownBy(() -> plan(new RecordingBackend(), extra))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("bundle daemon 'crypto-miner' (p0) is not part of the bundle")
                .satisfies(e -> assertThat(((PlanException) e).hint()).hasValueSatisfying(h -> assertThat(h).contains("gateway, git-gate, supervise")));
    }

    @Test
    void aBundleDaemonOnAnotherPortThanItListensOnFailsThePlan() {
        Provisioner git = spec -> Contribution.builder().daemon(new BundleDaemon("git-gate", 9419)).build();
        assertThatThrownBy(() -> plan(new RecordingBackend(), git))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("bundle daemon 'git-gate' (p0) listens on 9418 in the bundle, not 9419");
    }

    @Test
    void aBottleThatAllowsHostsWithoutTheGatewayPluginIsRefused() {
        LaunchPlanner planner = new LaunchPlanner(new RouteResolver(HostEnvironment.of(Map.of("ANTHROPIC_API_KEY", KEY)),
                e -> { }));
        assertThatThrownBy(() -> planner.plan(input(manifest(), new RecordingBackend(), List.of())))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("bottle 'web' allows hosts, but no plugin enables the gateway");
    }

    @Test
    void verifyRunsEveryProbeAndReportsWhatMissedAndWhatCouldNotRun() {
        Provisioner probes = spec -> Contribution.builder()
                .step(Probe.step("p.held", "holds", ctx -> Probe.Result.held("fine")))
                .step(Probe.step("p.missed", "misses", ctx -> Probe.Result.missed("saw a hole")))
                .step(Probe.step("p.broken", "breaks", ctx -> {
                    throw new IllegalStateException("no curl in the guest");
                }))
                .build();
        LaunchPlan plan = plan(new RecordingBackend(), probes);
        Guest guest = (Guest) java.lang.reflect.Proxy.newProxyInstance(Guest.class.getClassLoader(),
                new Class<?>[] {Guest.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("these probes do not touch the guest");
                });

        List<Probes.Outcome> outcomes = Probes.verify(plan, guest, e -> { }).stream()
                .filter(o -> o.probe().value().id().startsWith("p.")).toList();

        assertThat(outcomes).extracting(o -> o.probe().value().id()).containsExactly("p.held", "p.missed", "p.broken");
        assertThat(outcomes).extracting(o -> o.result().held()).containsExactly(true, false, false);
        assertThat(outcomes).extracting(o -> o.result().saw()).containsExactly("fine", "saw a hole",
                "the probe could not run: no curl in the guest");
        assertThat(outcomes).allSatisfy(o -> assertThat(o.probe().pluginId()).isEqualTo("p0"));
    }

    @Test
    void provisionersCannotContributeLaunchSteps() {
        Provisioner sneaky = spec -> Contribution.builder()
                .step(Step.of("sneaky", Phase.LAUNCH, "start my own guest", ctx -> Undo.NONE)).build();
        assertThatThrownBy(() -> plan(new RecordingBackend(), sneaky))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("'sneaky' (p0) is in the LAUNCH phase");
    }

    @Test
    void aProvisionerThatThrowsIsNamed() {
        Provisioner broken = spec -> {
            throw new NullPointerException("oops");
        };
        assertThatThrownBy(() -> plan(new RecordingBackend(), broken))
                .isInstanceOf(BottleException.class)
                .hasMessageContaining("plugin 'p0' failed to contribute to the launch: oops");
    }

    @Test
    void unknownAgentListsTheAgents() {
        assertThatThrownBy(() -> Agents.find(manifest(), "nobody"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown agent 'nobody'")
                .satisfies(e -> assertThat(((BadInputException) e).hint()).contains("agents defined there: coder"));
    }
}
