package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.backend.docker.GuestReach;
import dev.claudebottle.spi.ExecResult;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.Probe;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster's fence promises, checked from inside the guest pod as root, out of the agent's
 * reach: it connects to nothing but its bundle's daemons, not the node it runs on, not the bundle pod
 * on other ports, not the API server, not the cloud's metadata address; and it resolves no name, not
 * even the cluster's own. The
 * addresses are read from the cluster each time, so {@code bottle verify} checks the pods as they are.
 * Both hold only where the guest's own firewall holds: a network plugin that ignores NetworkPolicies
 * changes neither.
 */
final class KubeProbes {
    /** The cloud's instance metadata address, which hands out a node's credentials on most clouds. */
    static final String METADATA = "169.254.169.254";
    /** What a process with no capability and no way to gain one shows in its status. */
    private static final java.util.regex.Pattern NONE = java.util.regex.Pattern.compile("0+");
    /** A name every cluster's DNS answers. */
    static final String CLUSTER_NAME = "kubernetes.default.svc.cluster.local";
    /** The ports a host or neighbour commonly serves on, and a cluster's own: the API server, the kubelet, etcd. */
    static final List<Integer> PORTS = java.util.stream.Stream.concat(GuestReach.PORTS.stream(),
            java.util.stream.Stream.of(2379, 2380, 6443, 10250, 10255)).toList();
    private final String slug;
    private final KubeCluster cluster;
    private final List<Integer> daemonPorts;

    /** The probes of bottle {@code slug}, whose guest may reach its bundle on {@code daemonPorts} alone. */
    KubeProbes(String slug, KubeCluster cluster, List<Integer> daemonPorts) {
        this.slug = slug;
        this.cluster = cluster;
        this.daemonPorts = List.copyOf(daemonPorts);
    }

    List<Step> steps() {
        return List.of(
                Probe.step("kubernetes.agent-unprivileged", "a command of the agent's runs as " + Guest.AGENT_USER
                        + " with no capability in any set, its bounding set included, and cannot gain one "
                        + "(no_new_privs)", this::unprivileged),
                Probe.step("kubernetes.no-route", "the guest connects to nothing but its bundle's daemons: not "
                        + "the node it runs on, not the bundle pod on other ports, not the API server, not the cloud's "
                        + "metadata address (" + PORTS.size()
                        + " ports each, the API server's, the kubelet's and etcd's among them)", this::noRoute),
                Probe.step("kubernetes.bundle-fenced", "the bundle pod takes in its guest's address on its daemons' "
                        + "ports, loopback and replies, nothing else, and no table rewrites its traffic (every table "
                        + "of both families, read by its fence container)", this::bundleFenced),
                Probe.step("kubernetes.no-dns", "the guest resolves no name, not even the cluster's own ("
                        + CLUSTER_NAME + ")", ctx -> GuestReach.noAnswer(ctx.guest(), CLUSTER_NAME)));
    }

    private Probe.Result bundleFenced(StepContext ctx) throws Exception {
        var pods = cluster.client().pods().inNamespace(cluster.namespace());
        Pod guest = pods.withName("claude-bottle-" + slug + "-guest").get();
        java.util.Optional<String> address = PodStates.address(guest);
        if (address.isEmpty()) {
            return Probe.Result.missed("the cluster does not say where the guest pod is");
        }
        String ports = daemonPorts.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        ExecResult r = new PodExec(cluster.client(), cluster.namespace(), "claude-bottle-" + slug + "-bundle",
                BundleFirewall.CONTAINER).run(BundleFirewall.READ);
        if (!r.ok()) {
            return Probe.Result.missed("the bundle's rules could not be read (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return BundleFirewall.difference(address.get(), ports, r.stdout()).map(Probe.Result::missed)
                .orElseGet(() -> Probe.Result.held("the bundle's daemons admit " + address.get() + " alone"));
    }

    private Probe.Result unprivileged(StepContext ctx) throws Exception {
        ExecResult r = ctx.guest().exec(Guest.AGENT_USER, List.of("cat", "/proc/self/status"), Map.of());
        return privileges(r.exitCode(), r.stdout());
    }

    /** The verdict on a status the agent user's {@code cat /proc/self/status} printed. */
    static Probe.Result privileges(int exit, String status) {
        Map<String, String> fields = new java.util.HashMap<>();
        status.lines().map(l -> l.split(":\\s*", 2)).filter(kv -> kv.length == 2)
                .forEach(kv -> fields.put(kv[0], kv[1].strip()));
        List<String> wrong = new ArrayList<>();
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            if (!NONE.matcher(fields.getOrDefault(set, "?")).matches()) {
                wrong.add(set + " " + fields.getOrDefault(set, "missing"));
            }
        }
        if (!"1".equals(fields.get("NoNewPrivs"))) {
            wrong.add("NoNewPrivs " + fields.getOrDefault("NoNewPrivs", "missing"));
        }
        String uid = fields.getOrDefault("Uid", "");
        if (uid.isEmpty() || uid.split("\\s+")[0].equals("0") || java.util.Arrays.stream(uid.split("\\s+"))
                .distinct().count() != 1) {
            wrong.add("Uid " + (uid.isEmpty() ? "missing" : uid));
        }
        if (exit != 0 || !wrong.isEmpty()) {
            return Probe.Result.missed("the agent's command runs with " + (exit != 0 ? "an exec that failed (exit "
                    + exit + ")" : String.join(", ", wrong)));
        }
        return Probe.Result.held("uid " + uid.split("\\s+")[0] + ", no capability in any set, no_new_privs");
    }

    private Probe.Result noRoute(StepContext ctx) throws Exception {
        var pods = cluster.client().pods().inNamespace(cluster.namespace());
        Pod guest = pods.withName("claude-bottle-" + slug + "-guest").get();
        Pod bundle = pods.withName("claude-bottle-" + slug + "-bundle").get();
        if (guest == null || bundle == null || guest.getStatus() == null || bundle.getStatus() == null
                || guest.getStatus().getHostIP() == null || bundle.getStatus().getPodIP() == null) {
            return Probe.Result.missed("the cluster does not say where the guest's node and the bundle pod are");
        }
        List<String> addresses = new ArrayList<>(List.of(guest.getStatus().getHostIP(), METADATA));
        // the kubelet gives every container the API server's address, whatever the pod asks
        ExecResult api = ctx.guest().exec(Guest.ROOT, List.of("printenv", "KUBERNETES_SERVICE_HOST"), Map.of());
        if (api.ok() && !api.stdout().isBlank()) {
            addresses.add(api.stdout().strip());
        }
        Probe.Result elsewhere = GuestReach.noConnection(ctx.guest(), addresses, PORTS);
        if (!elsewhere.held()) {
            return elsewhere;
        }
        // the bundle pod itself, on every port but its daemons'
        List<Integer> others = PORTS.stream().filter(p -> !daemonPorts.contains(p)).toList();
        Probe.Result bundlePod = GuestReach.noConnection(ctx.guest(), List.of(bundle.getStatus().getPodIP()), others);
        return bundlePod.held() ? Probe.Result.held(elsewhere.saw() + "; " + bundlePod.saw()) : bundlePod;
    }
}
