package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.Undo;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.testing.FixedPaths;
import dev.claudebottle.spi.testing.ProbeContext;
import dev.claudebottle.spi.testing.ScriptedGuest;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Probe;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launch against an API server: the objects it makes, their fields, and that every way out leaves none. */
class KubeLaunchTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private static final String KEY = "sk-ant-api03-REAL-VALUE-4711";
    private static final String AGENT_IMAGE = "registry.test/claude-bottle/agent@sha256:" + "a".repeat(64);
    private static final String BUNDLE_IMAGE = "registry.test/claude-bottle/bundle@sha256:" + "b".repeat(64);
    private static final String LISTENING = "2026-12-07T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle x\n"
            + "2026-12-07T10:00:00Z gateway: policy loaded: 1 allow rule(s), 1 route(s), every route bound (values "
            + "{generation})\n";
    @TempDir
    Path tmp;
    private FakeCluster cluster;
    private KubernetesBackend backend;
    private final List<Undo> undos = new ArrayList<>();

    @BeforeEach
    void start() {
        cluster = new FakeCluster();
        backend = backend(tmp.resolve("home"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private KubernetesBackend backend(Path home) {
        return new KubernetesBackend(new KubeCluster(() -> cluster.client), settings(), FixedPaths.at(home), e -> { });
    }

    private static KubeSettings settings() {
        return new KubeSettings(Optional.of(FakeCluster.NAMESPACE), Optional.empty(), Optional.of(AGENT_IMAGE),
                Optional.of(BUNDLE_IMAGE));
    }

    private LaunchRequest request(String slug, Path home) throws Exception {
        Path policy = Files.createDirectories(home.resolve("bottles").resolve(slug).resolve("gateway"));
        Files.writeString(policy.resolve("policy.json"), "{\"version\":2}");
        Path ca = Files.createDirectories(home.resolve("bottles").resolve(slug).resolve("ca"));
        Files.writeString(ca.resolve("ca.key"), "-----BEGIN PRIVATE KEY-----\nCA-KEY\n");
        Path record = Files.createDirectories(home.resolve("records").resolve(slug));
        Files.writeString(record.resolve("lifecycle.jsonl"), "{\"event\":\"start\"}\n");
        LaunchSpec spec = new LaunchSpec(slug, new AgentDef("demo", "demo", Optional.empty(), Optional.empty(),
                List.of(), AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("demo", Map.of(), EgressDef.DENY_ALL,
                Map.of(), HERE), tmp, home.resolve("bottles").resolve(slug), Optional.empty(), "kubernetes",
                "/home/node", false, List.of());
        return new LaunchRequest(spec, List.of(new BundleDaemon("gateway", 8888)), List.of(
                new BundleMount(policy, BundleLayout.POLICY_DIR, true), new BundleMount(ca, BundleLayout.CA_DIR, true),
                new BundleMount(record, BundleLayout.AUDIT_DIR, false)),
                List.of(BundleEnv.plain("CLAUDE_BOTTLE_DAEMONS", "gateway"),
                        BundleEnv.secret("ROUTE_0_VALUE", Secret.of(KEY))),
                List.of(new GuestPort("gateway", 8888)), List.of(new GuestEnv("HTTPS_PROXY", "http://{endpoint:gateway}"),
                new GuestEnv("ANTHROPIC_API_KEY", "bottle-placeholder")));
    }

    /** Runs the backend's steps for {@code request} in order, keeping each undo as the kernel would. */
    private ProbeContext launch(KubernetesBackend on, LaunchRequest request) throws Exception {
        ProbeContext ctx = new ProbeContext(request.spec(), null);
        for (Step step : on.launchSteps(request)) {
            if (step.phase() != Phase.VERIFY) {
                undos.add(step.action().run(ctx));
            }
        }
        return ctx;
    }

    private void undoAll() throws Exception {
        for (int i = undos.size() - 1; i >= 0; i--) {
            undos.get(i).undo();
        }
        undos.clear();
    }

    private List<HasMetadata> everything() {
        var c = cluster.client;
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(c.pods().list().getItems());
        all.addAll(c.services().list().getItems());
        all.addAll(c.secrets().list().getItems());
        all.addAll(c.configMaps().list().getItems());
        all.addAll(c.network().v1().networkPolicies().list().getItems());
        return all;
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aLaunchCreatesExactlyTheBottlesObjectsFencedAndLabelled() throws Exception {
        Path home = tmp.resolve("home");
        cluster.bundleLog("demo-0001", LISTENING);
        ProbeContext ctx = launch(backend, request("demo-0001", home));

        assertThat(kinds(everything())).containsExactly("ConfigMap/claude-bottle-demo-0001-policy",
                "NetworkPolicy/claude-bottle-demo-0001-bundle", "NetworkPolicy/claude-bottle-demo-0001-guest",
                "Pod/claude-bottle-demo-0001-bundle", "Pod/claude-bottle-demo-0001-guest",
                "Secret/claude-bottle-demo-0001-files");
        assertThat(everything()).allSatisfy(o -> {
            assertThat(o.getMetadata().getLabels()).containsEntry(KubeLabels.SLUG, "demo-0001")
                    .containsEntry(KubeLabels.HOME, KubeHome.of(home).orElseThrow());
            assertThat(o.getMetadata().getAnnotations()).containsEntry(KubeLabels.HOME_PATH, home.toString());
        });
        assertThat(ctx.result(Backend.GUEST)).isInstanceOf(KubeGuest.class);
        assertThat(ctx.result(Backend.ENDPOINTS).get("gateway").host()).isEqualTo(KubeObjects.BUNDLE_HOST);

        Pod guest = cluster.client.pods().withName("claude-bottle-demo-0001-guest").get();
        var spec = guest.getSpec();
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getEnableServiceLinks()).isFalse();
        assertThat(spec.getHostNetwork()).isFalse();
        assertThat(spec.getHostPID()).isFalse();
        assertThat(spec.getHostIPC()).isFalse();
        assertThat(spec.getDnsPolicy()).isEqualTo("None");
        assertThat(spec.getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(KubeObjects.GRACE_SECONDS);
        assertThat(spec.getDnsConfig().getNameservers()).containsExactly("127.0.0.1");
        // the bundle pod's own address: no Service whose backends anyone's labels could choose
        String bundleIp = FakeCluster.POD_IP;
        assertThat(spec.getHostAliases()).singleElement().satisfies(a -> {
            assertThat(a.getIp()).isEqualTo(bundleIp);
            assertThat(a.getHostnames()).containsExactly(KubeObjects.BUNDLE_HOST);
        });
        Container fence = spec.getInitContainers().get(0);
        assertThat(fence.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
        assertThat(fence.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(String.join(" ", fence.getCommand())).contains("-d " + bundleIp + " -m multiport --dports 8888 -j "
                + "ACCEPT").contains("-j REJECT");
        Container agent = spec.getContainers().get(0);
        assertThat(spec.getContainers()).hasSize(1);
        assertThat(agent.getImage()).isEqualTo(AGENT_IMAGE);
        assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(agent.getSecurityContext().getPrivileged()).isFalse();
        assertThat(agent.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(agent.getSecurityContext().getCapabilities().getAdd()).doesNotContain("NET_ADMIN", "NET_RAW",
                "SYS_ADMIN").contains("SETPCAP");
        assertThat(agent.getResources().getLimits()).containsKey("memory");
        assertThat(agent.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue())
                .isEqualTo("HTTPS_PROXY=http://claude-bottle-bundle:8888"));

        // the fence's policies: the guest sends to its bundle's daemons only, the bundle takes in from its guest only
        NetworkPolicy toBundle = cluster.client.network().v1().networkPolicies().withName("claude-bottle-demo-0001-guest")
                .get();
        assertThat(toBundle.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(toBundle.getSpec().getIngress()).isNullOrEmpty();
        assertThat(toBundle.getSpec().getPodSelector().getMatchLabels()).containsEntry(KubeLabels.ROLE, "guest")
                .containsEntry(KubeLabels.SLUG, "demo-0001");
        assertThat(toBundle.getSpec().getEgress()).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(peer -> {
                assertThat(peer.getPodSelector().getMatchLabels()).containsEntry(KubeLabels.ROLE, "bundle")
                        .containsEntry(KubeLabels.SLUG, "demo-0001");
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(peer.getIpBlock()).isNull();
            });
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8888));
        });
        NetworkPolicy fromGuest = cluster.client.network().v1().networkPolicies()
                .withName("claude-bottle-demo-0001-bundle").get();
        assertThat(fromGuest.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                .singleElement().satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                        .containsEntry(KubeLabels.ROLE, "guest").containsEntry(KubeLabels.SLUG, "demo-0001")));

        // the value is in the Secret the bundle pod mounts, and in no other object
        var secret = cluster.client.secrets().withName("claude-bottle-demo-0001-files").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("bound-values")), StandardCharsets.UTF_8))
                .contains(KEY);
        KubernetesSerialization yaml = new KubernetesSerialization();
        for (HasMetadata o : everything()) {
            if (!(o instanceof io.fabric8.kubernetes.api.model.Secret)) {
                assertThat(yaml.asYaml(o)).as(o.getKind()).doesNotContain(KEY)
                        .doesNotContain(Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8)));
            }
        }
        Pod bundle = cluster.client.pods().withName("claude-bottle-demo-0001-bundle").get();
        assertThat(bundle.getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(bundle.getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null).isNotEmpty()
                .allSatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("claude-bottle-demo-0001-files"));
        assertThat(guest.getSpec().getVolumes()).noneSatisfy(v -> assertThat(v.getSecret()).isNotNull());
        assertThat(bundle.getSpec().getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(
                m.getMountPath()).isEqualTo("/run/claude-bottle"));
        // the writable record folder is seeded with the host's files before the bundle starts
        assertThat(bundle.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("fence-init",
                "seed");
        assertThat(String.join(" ", bundle.getSpec().getInitContainers().get(1).getCommand()))
                .contains("cp -RL /seed/m2/. /data/m2/");
        // its daemons answer nobody until the guest is admitted, by a container that serves nothing
        assertThat(String.join(" ", bundle.getSpec().getInitContainers().get(0).getCommand()))
                .contains("iptables -A INPUT -j DROP");
        assertThat(bundle.getSpec().getContainers()).extracting(Container::getName).containsExactly("bundle", "fence");
        assertThat(bundle.getSpec().getContainers().get(0).getSecurityContext().getCapabilities().getAdd()).isEmpty();
        assertThat(bundle.getSpec().getContainers().get(0).getReadinessProbe()).as("the kubelet is refused too")
                .isNull();
        assertThat(bundle.getSpec().getContainers().get(1).getSecurityContext().getCapabilities().getAdd())
                .containsExactly("NET_ADMIN");
        assertThat(bundle.getSpec().getContainers().get(1).getPorts()).isNullOrEmpty();
        assertThat(cluster.client.configMaps().withName("claude-bottle-demo-0001-policy").get().getData())
                .containsValue("{\"version\":2}");

        undoAll();
        assertThat(everything()).isEmpty();
    }

    @Test
    void aGuestWhoseFirewallFailedIsRefusedAndNothingIsLeft() throws Exception {
        cluster.bundleLog("demo-0002", LISTENING);
        cluster.kubelet = pod -> pod.getMetadata().getName().endsWith("-guest")
                ? FakeCluster.withStatus(pod, 1, "Failed", false) : FakeCluster.started(pod);

        assertThatThrownBy(() -> launch(backend, request("demo-0002", tmp.resolve("home"))))
                .isInstanceOf(BottleException.class).hasMessageContaining("did not start")
                .hasMessageContaining("container fence ended with exit 1");
        undoAll();
        assertThat(everything()).isEmpty();
    }

    @Test
    void aGuestTheBundlesFenceCouldNotAdmitIsRefusedAndNothingIsLeft() throws Exception {
        cluster.bundleLog("demo-0015", LISTENING);
        cluster.admitExit = 4;

        assertThatThrownBy(() -> launch(backend, request("demo-0015", tmp.resolve("home"))))
                .isInstanceOf(BottleException.class).hasMessageContaining("admitting the guest")
                .hasMessageContaining("exit 4");
        undoAll();
        assertThat(everything()).isEmpty();
    }

    @Test
    void aBundleWhoseDaemonsDoNotListenIsRefusedAndNothingIsLeft() throws Exception {
        cluster.bundleLog("demo-0003", "2026-12-07T10:00:00Z claude-bottle bundle: the policy file is missing\n");

        assertThatThrownBy(() -> launch(backend, request("demo-0003", tmp.resolve("home"))))
                .isInstanceOf(BottleException.class).hasMessageContaining("did not become ready")
                .hasMessageContaining("the policy file is missing");
        undoAll();
        assertThat(everything()).isEmpty();
    }

    @Test
    void aGatewayThatDidNotBindEveryRouteIsRefused() throws Exception {
        cluster.bundleLog("demo-0004", "2026-12-07T10:00:00Z gateway: listening on /0.0.0.0:8888 for bottle x\n"
                + "2026-12-07T10:00:00Z gateway: policy loaded: 0 allow rule(s), 1 route(s), 1 without its value, "
                + "refused until bound\n");

        assertThatThrownBy(() -> launch(backend, request("demo-0004", tmp.resolve("home"))))
                .isInstanceOf(BottleException.class).hasMessageContaining("did not bind every route");
        undoAll();
        assertThat(everything()).isEmpty();
    }

    @Test
    void aCreateRefusedHalfwayRemovesWhatTheStepMadeAndNotWhatTookItsName() throws Exception {
        // an object of that name is there already: the bundle pod's create is refused after four objects were made
        cluster.client.pods().resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("claude-bottle-demo-0005-bundle").endMetadata().withNewSpec().addNewContainer()
                .withName("x").endContainer().endSpec().build()).create();

        assertThatThrownBy(() -> launch(backend, request("demo-0005", tmp.resolve("home"))))
                .hasMessageContaining("claude-bottle-demo-0005-bundle");
        undoAll();
        assertThat(kinds(everything())).containsExactly("Pod/claude-bottle-demo-0005-bundle");
    }

    @Test
    void aNamespaceHoldingAnotherHomesBottleRefusesTheLaunch() throws Exception {
        cluster.bundleLog("demo-0012", LISTENING);
        launch(backend, request("demo-0012", tmp.resolve("home")));
        undos.clear();

        assertThatThrownBy(() -> launch(backend(tmp.resolve("other-home")), request("demo-0013",
                tmp.resolve("other-home")))).isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("bottle demo-0012 of another state home");
        assertThat(everything()).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry(KubeLabels.SLUG, "demo-0012"));
    }

    @Test
    void anotherPolicyThatWouldSelectTheGuestRefusesTheLaunchBeforeAnythingIsMade() throws Exception {
        // an empty pod selector selects every pod of the namespace: what it allows would add to the fence
        cluster.client.network().v1().networkPolicies().resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("allow-all-egress").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
                .withPolicyTypes("Egress").addNewEgress().endEgress().endSpec().build()).create();

        assertThatThrownBy(() -> launch(backend, request("demo-0006", tmp.resolve("home"))))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("allow-all-egress");
        assertThat(kinds(everything())).containsExactly("NetworkPolicy/allow-all-egress");
    }

    @Test
    void stopAndGcFindEachBottleByItsOwnLabelsAndTwoBottlesShareNoObject() throws Exception {
        Path mine = tmp.resolve("home");
        cluster.bundleLog("demo-0007", LISTENING);
        cluster.bundleLog("demo-0008", LISTENING);
        launch(backend, request("demo-0007", mine));
        launch(backend, request("demo-0008", mine));
        undos.clear();

        assertThat(backend.bottles()).containsExactly("demo-0007", "demo-0008");
        assertThat(backend.home("demo-0007")).contains(mine);
        assertThat(backend.home("demo-0008")).contains(mine);
        List<HasMetadata> all = everything();
        assertThat(all).hasSize(12);
        assertThat(all.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).distinct()).hasSize(12);
        // the two bottles' Secrets hold different values files
        assertThat(cluster.generation("demo-0007")).isNotEqualTo(cluster.generation("demo-0008"));
        // each bottle's policies select its own pods only
        for (NetworkPolicy p : cluster.client.network().v1().networkPolicies().list().getItems()) {
            String slug = p.getMetadata().getLabels().get(KubeLabels.SLUG);
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry(KubeLabels.SLUG, slug);
        }

        backend.remove("demo-0007");
        assertThat(everything()).isNotEmpty().allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry(KubeLabels.SLUG, "demo-0008"));
        assertThat(backend.bottles()).containsExactly("demo-0008");
        backend.remove("demo-0008");
        assertThat(everything()).isEmpty();
    }

    @Test
    void aHomeThatNeverLaunchedOnAClusterAsksNoClusterAndAnUnreachableOneIsWarnedOf() throws Exception {
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        var paths = FixedPaths.at(fresh);
        List<String> warnings = new ArrayList<>();
        KubernetesBackend unreachable = new KubernetesBackend(new KubeCluster(() -> {
            throw new io.fabric8.kubernetes.client.KubernetesClientException("connect timed out");
        }), settings(), paths, e -> warnings.add(String.valueOf(e)));

        assertThat(unreachable.bottles()).isEmpty();
        assertThat(warnings).isEmpty();

        KubeHome.ensure(fresh);
        assertThat(unreachable.bottles()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("connect timed out");
    }

    @Test
    void stopRemovesOnlyThisHomesObjectsWhereAnotherHomesTookTheSameSlug() throws Exception {
        cluster.bundleLog("demo-0014", LISTENING);
        launch(backend, request("demo-0014", tmp.resolve("home")));
        undos.clear();
        // another home's object of the same slug, made behind the launch's back
        cluster.client.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("theirs").withLabels(KubeLabels.of("demo-0014", "policy", "0".repeat(40)))
                .endMetadata().build()).create();

        assertThat(backend.home("demo-0014")).isEmpty();
        backend.remove("demo-0014");

        assertThat(kinds(everything())).containsExactly("ConfigMap/theirs");
    }

    @Test
    void anotherHomeAtTheSamePathIsToldApartByItsId() throws Exception {
        Path home = tmp.resolve("home");
        String mine = KubeHome.ensure(home);
        // a CI runner elsewhere, whose home is at the same path, launched bottle demo-0016 in this namespace
        cluster.client.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("claude-bottle-demo-0016-policy").withLabels(KubeLabels.of("demo-0016", "policy",
                        "1".repeat(40))).withAnnotations(KubeLabels.annotations(home)).endMetadata().build()).create();

        assertThat(mine).matches("[0-9a-f]{40}").isEqualTo(KubeHome.ensure(home)).isNotEqualTo("1".repeat(40));
        assertThat(backend.home("demo-0016")).isEmpty();
        backend.remove("demo-0016");
        assertThat(kinds(everything())).containsExactly("ConfigMap/claude-bottle-demo-0016-policy");
        assertThat(backend.guest("demo-0016", "/home/node")).isEmpty();
    }

    @Test
    void homesMadeAtOnceAgreeOnOneId() throws Exception {
        Path home = tmp.resolve("racing");
        List<java.util.concurrent.CompletableFuture<String>> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> KubeHome.ensure(home)));
        }
        assertThat(ids.stream().map(java.util.concurrent.CompletableFuture::join).distinct()).hasSize(1);
        assertThat(Files.list(home)).extracting(p -> p.getFileName().toString()).containsExactly(KubeHome.FILE);
    }

    @Test
    void aHomeAnnotationTheLabelsDoNotBackIsNotBelieved() throws Exception {
        cluster.bundleLog("demo-0009", LISTENING);
        launch(backend, request("demo-0009", tmp.resolve("home")));
        undos.clear();
        cluster.client.pods().withName("claude-bottle-demo-0009-guest").edit(p -> {
            p.getMetadata().getAnnotations().put(KubeLabels.HOME_PATH, "/somewhere/else");
            return p;
        });

        assertThat(backend.home("demo-0009")).isEmpty();
    }

    @Test
    void thePlanShowsEveryObjectWithEverySecretValueElided() throws Exception {
        String yaml = backend.describe(request("demo-0010", tmp.resolve("home")), FakeCluster.NAMESPACE);

        assertThat(yaml).contains("kind: \"Secret\"").contains("kind: \"ConfigMap\"").contains("kind: \"NetworkPolicy\"")
                .doesNotContain("kind: \"Service\"").contains("kind: \"Pod\"").contains(KubePlan.ELIDED)
                .contains(KubePlan.BUNDLE_ADDRESS)
                .contains("automountServiceAccountToken: false").contains("NET_ADMIN");
        assertThat(yaml).doesNotContain(KEY).doesNotContain("CA-KEY")
                .doesNotContain(Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8)));
        assertThat(everything()).as("a plan creates nothing").isEmpty();
    }

    /** A guest whose connect attempts end as {@code outcome} says, that resolves nothing, its API at 10.96.0.1. */
    private static ScriptedGuest guest(java.util.function.Function<String, String> outcome) {
        return new ScriptedGuest(exec -> {
            String all = String.join(" ", exec.argv());
            if (exec.argv().contains("KUBERNETES_SERVICE_HOST")) {
                return new ExecResult(0, "10.96.0.1\n", "");
            }
            if (exec.argv().contains("/proc/self/status")) {
                return new ExecResult(0, "Uid:\t1000\t1000\t1000\t1000\nNoNewPrivs:\t1\nCapInh:\t0000000000000000\n"
                        + "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n"
                        + "CapAmb:\t0000000000000000\n", "");
            }
            if (all.contains("getent")) {
                return new ExecResult(0, "LOOKUP-EXIT 2\n", "");
            }
            List<String> targets = exec.argv().subList(exec.argv().lastIndexOf("probe") + 1, exec.argv().size());
            StringBuilder out = new StringBuilder();
            targets.forEach(t -> out.append(outcome.apply(t)).append(' ').append(t).append(" Connection refused\n"));
            return new ExecResult(0, out.append("DONE\n").toString(), "");
        });
    }

    private List<Probe.Result> probes(KubernetesBackend on, LaunchRequest request, ScriptedGuest guest)
            throws Exception {
        ProbeContext ctx = new ProbeContext(request.spec(), guest);
        List<Probe.Result> results = new ArrayList<>();
        for (Step step : on.launchSteps(request)) {
            if (step.phase() == Phase.VERIFY) {
                try {
                    step.action().run(ctx);
                } catch (EnvironmentException missed) {
                    // a probe that missed refuses the launch; what it saw is its result
                }
                results.add(ctx.result(Probe.key(step.id())));
            }
        }
        return results;
    }

    @Test
    void theProbesTryTheNodeTheBundlePodAndTheApiServerFromInsideTheGuest() throws Exception {
        cluster.bundleLog("demo-0011", LISTENING);
        LaunchRequest request = request("demo-0011", tmp.resolve("home"));
        launch(backend, request);
        ScriptedGuest guest = guest(t -> "FAILED");

        assertThat(probes(backend, request, guest)).hasSize(4).allSatisfy(r -> assertThat(r.held()).as(r.saw()).isTrue());
        List<String> tried = guest.execs.stream().flatMap(e -> e.argv().stream()).toList();
        assertThat(tried).contains(FakeCluster.NODE_IP + ":22", FakeCluster.NODE_IP + ":10250",
                KubeProbes.METADATA + ":80", FakeCluster.POD_IP + ":22", "10.96.0.1:443", "10.96.0.1:6443",
                KubeProbes.CLUSTER_NAME);
        // the bundle pod on its daemon's port is the guest's way out, not a leak
        assertThat(tried).doesNotContain(FakeCluster.POD_IP + ":8888");
        assertThat(guest.execs).filteredOn(e -> !e.argv().contains("/proc/self/status"))
                .allSatisfy(e -> assertThat(e.user()).isEqualTo(dev.claudebottle.spi.Guest.ROOT));

        // the bundle pod reached on another port than its daemons': the guest's own firewall did not hold
        List<Probe.Result> around = probes(backend, request, guest(t -> t.equals(FakeCluster.POD_IP + ":22")
                ? "CONNECTED" : "FAILED"));
        assertThat(around.get(1).held()).isFalse();
        assertThat(around.get(1).saw()).contains(FakeCluster.POD_IP + ":22");
        undoAll();
    }

    @Test
    void imagesNotNamedByDigestAreRefused() {
        var env = dev.claudebottle.spi.HostEnvironment.of(Map.of(KubeSettings.AGENT_IMAGE, "registry.test/agent:latest"));
        assertThatThrownBy(() -> KubeSettings.from(env)).hasMessageContaining("by digest");
        assertThatThrownBy(() -> KubeSettings.from(dev.claudebottle.spi.HostEnvironment.of(Map.of(
                KubeSettings.NAMESPACE, "Not_A_Name")))).hasMessageContaining("not a namespace name");
    }
}
