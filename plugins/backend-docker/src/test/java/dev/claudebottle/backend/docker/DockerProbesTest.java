package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.GuestEnv;
import dev.claudebottle.spi.GuestPort;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.GuestLimits;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.testing.ProbeContext;
import dev.claudebottle.spi.testing.ScriptedGuest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker fence's probes on a bottle whose fence was broken from outside: the guest put on a
 * further network that routes out and its firewall flushed, with nothing listening anywhere, so
 * every connect the guest tries is refused as the fence would refuse it.
 */
class DockerProbesTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private static final String NETWORK = "claude-bottle-demo-0001";
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\t"
            + "Window\tIRTT";
    /** What the kernel of a guest on its internal network alone lists, as read in a real namespace. */
    static final List<String> INTACT = List.of("ROUTES", HEADER,
            "eth0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "ROUTES6",
            "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 "
                    + "00000100 00000001 00000000 00000001     eth0",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 "
                    + "ffffffff 00000001 00000000 00200200       lo",
            "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 "
                    + "00000000 00000002 00000000 80200001       lo",
            "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 "
                    + "00000100 00000001 00000000 00000001     eth0",
            "RULES",
            "-P OUTPUT ACCEPT",
            "-A OUTPUT -d 127.0.0.11/32 -j REJECT --reject-with icmp-port-unreachable",
            "-A OUTPUT -o lo -j ACCEPT",
            "-A OUTPUT -d 172.30.4.1/32 -p tcp -j REJECT --reject-with tcp-reset",
            "-A OUTPUT -d 172.30.4.1/32 -j REJECT --reject-with icmp-port-unreachable",
            "-A OUTPUT ! -d 172.30.4.0/24 -p tcp -j REJECT --reject-with tcp-reset",
            "-A OUTPUT ! -d 172.30.4.0/24 -j REJECT --reject-with icmp-port-unreachable",
            "END 0");
    /** The same guest connected to a network that routes out (172.31.0.0/16 through .1), its OUTPUT chain flushed. */
    static final List<String> BROKEN = List.of("ROUTES", HEADER,
            "eth1\t00000000\t01001FAC\t0003\t0\t0\t0\t00000000\t0\t0\t0",
            "eth0\t00041EAC\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            "eth1\t00001FAC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
            "ROUTES6", "RULES", "-P OUTPUT ACCEPT", "END 0");
    @TempDir
    Path state;

    @Test
    void aGuestPutOnAnotherNetworkWithItsFirewallFlushedMissesThoughEveryConnectIsRefused() throws Exception {
        BottleEngine engine = new BottleEngine(List.of(NETWORK, "elsewhere"), BROKEN);

        Map<String, Probe.Result> results = probe(engine);

        assertThat(results.get("docker.no-route").held()).as("a refusal alone is no reach: " + results.get(
                "docker.no-route").saw()).isTrue();
        assertThat(results.get("docker.fence-intact")).isNotNull().satisfies(r -> {
            assertThat(r.held()).isFalse();
            assertThat(r.saw()).isEqualTo("the guest is attached to " + NETWORK + ", elsewhere, not to " + NETWORK
                    + " alone");
        });
    }

    @Test
    void aGuestOnItsNetworkAloneWhoseRoutesLeadOutOrWhoseRulesAreGoneMisses() throws Exception {
        Probe.Result routes = probe(new BottleEngine(List.of(NETWORK), BROKEN)).get("docker.fence-intact");
        List<String> flushed = new ArrayList<>(INTACT.subList(0, INTACT.indexOf("-P OUTPUT ACCEPT") + 1));
        flushed.add("END 0");
        Probe.Result rules = probe(new BottleEngine(List.of(NETWORK), flushed)).get("docker.fence-intact");

        assertThat(routes.held()).isFalse();
        assertThat(routes.saw()).isEqualTo("the guest has a route off 172.30.4.0/24: 0.0.0.0/0 on eth1 via 172.31.0.1");
        assertThat(rules.held()).isFalse();
        assertThat(rules.saw()).isEqualTo("the guest's OUTPUT chain has none of the fence's rules");
    }

    @Test
    void theFenceAsTheLaunchMadeItHoldsAndIsReadByARootHelperFromTheBundlesImage() throws Exception {
        BottleEngine engine = new BottleEngine(List.of(NETWORK), INTACT);

        Map<String, Probe.Result> results = probe(engine);

        assertThat(results.values()).allSatisfy(r -> assertThat(r.held()).as(r.saw()).isTrue());
        assertThat(results.get("docker.fence-intact").saw()).isEqualTo("attached to " + NETWORK + " only (internal), "
                + "every route on 172.30.4.0/24 or the link, the fence's 6 rules first in OUTPUT");
        assertThat(engine.helpers).singleElement().satisfies(helper -> {
            assertThat(helper.image()).isEqualTo("sha256:bundle-image");
            assertThat(helper.networkMode()).isEqualTo("container:guest-id");
            assertThat(helper.user()).contains("root");
            assertThat(helper.capAdd()).containsExactly("NET_ADMIN");
            assertThat(helper.labels()).containsEntry(Labels.ROLE, "helper").containsEntry(Labels.SLUG, "demo-0001");
        });
        assertThat(engine.removed).contains("helper-id");
    }

    @Test
    void aHelperThatDidNotReadToItsEndMisses() {
        DockerEngine.Subnet subnet = new DockerEngine.Subnet("172.30.4.0/24", "172.30.4.1");
        List<String> cut = INTACT.subList(0, INTACT.size() - 3);

        assertThat(FenceIntact.verdict(NETWORK, subnet, new NamespaceHelper.Ran(0, cut)).held()).isFalse();
        assertThat(FenceIntact.verdict(NETWORK, subnet, new NamespaceHelper.Ran(137, INTACT)).held()).isFalse();
        List<String> failed = new ArrayList<>(INTACT.subList(0, INTACT.indexOf("RULES") + 1));
        failed.addAll(List.of("iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied",
                "END 4"));
        assertThat(FenceIntact.verdict(NETWORK, subnet, new NamespaceHelper.Ran(0, failed)).held()).isFalse();
    }

    /** Runs every probe of a launch against {@code engine} and a guest in which nothing listens. */
    private Map<String, Probe.Result> probe(BottleEngine engine) throws Exception {
        LaunchSpec spec = new LaunchSpec("demo-0001", new AgentDef("demo", "demo", Optional.empty(), Optional.empty(),
                List.of(), AgentDef.DEFAULT_COMMAND, HERE), new BottleDef("demo", Map.of(), EgressDef.DENY_ALL,
                GuestLimits.DEFAULT, Map.of(), HERE), state, state, Optional.empty(), "docker", "/home/node", false,
                List.of());
        LaunchRequest request = new LaunchRequest(spec, List.of(new BundleDaemon("gateway", 8888)), List.of(),
                List.of(), List.of(new GuestPort("gateway", 8888)),
                List.of(new GuestEnv("HTTPS_PROXY", "http://{endpoint:gateway}")));
        DockerLaunch launch = new DockerLaunch(request, () -> engine, Optional.empty(), HostEnvironment.of(Map.of()),
                e -> { });
        ProbeContext ctx = new ProbeContext(new ScriptedGuest(DockerProbesTest::nothingListens));
        Map<String, Probe.Result> results = new LinkedHashMap<>();
        for (Step step : launch.steps()) {
            if (step.phase() == Phase.VERIFY) {
                try {
                    step.action().run(ctx);
                } catch (Exception missed) {
                    // the result says what
                }
                results.put(step.id(), ctx.result(Probe.key(step.id())));
            }
        }
        return results;
    }

    /** Each connect refused, each lookup not found: what a guest prints where nothing listens or answers. */
    private static ExecResult nothingListens(ScriptedGuest.Exec e) {
        List<String> argv = e.argv();
        List<String> words = argv.subList(argv.lastIndexOf("probe") + 1, argv.size());
        if (String.join(" ", argv).contains("/dev/tcp")) {
            StringBuilder out = new StringBuilder();
            words.forEach(t -> out.append("FAILED ").append(t).append(" Connection refused\n"));
            return new ExecResult(0, out + "DONE\n", "");
        }
        return new ExecResult(0, "LOOKUP-EXIT 2\n", "");
    }

    /** A bottle's containers and networks as the engine shows them; a helper prints what it is given. */
    private static final class BottleEngine extends RefusingEngine {
        final List<ContainerSpec> helpers = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();
        private final List<String> attached;
        private final List<String> helperOutput;

        BottleEngine(List<String> attached, List<String> helperOutput) {
            this.attached = attached;
            this.helperOutput = helperOutput;
        }

        @Override
        public Subnet subnet(String network) {
            return network.equals(NETWORK) ? new Subnet("172.30.4.0/24", "172.30.4.1")
                    : new Subnet("172.31.0.0/16", "172.31.0.1");
        }

        @Override
        public List<String> containers(Map<String, String> labels) {
            return List.of(labels.get(Labels.ROLE) + "-id");
        }

        @Override
        public String ipAddress(String containerId, String network) {
            return "172.31.0.5";
        }

        public List<String> networksOf(String containerId) {
            return attached;
        }

        public boolean internal(String network) {
            return network.equals(NETWORK);
        }

        public String image(String containerId) {
            return "sha256:" + containerId.replace("-id", "-image");
        }

        @Override
        public String createContainer(ContainerSpec spec) {
            helpers.add(spec);
            return "helper-id";
        }

        @Override
        public void start(String containerId) {
        }

        @Override
        public int waitForExit(String containerId, Duration timeout) {
            return 0;
        }

        @Override
        public List<String> logs(String containerId, int tail) {
            return helperOutput;
        }

        @Override
        public void remove(String containerId) {
            removed.add(containerId);
        }
    }
}
