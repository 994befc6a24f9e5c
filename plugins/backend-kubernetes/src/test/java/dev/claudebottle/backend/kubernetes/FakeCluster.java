package dev.claudebottle.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * fabric8's mock API server in CRUD mode, with what a cluster's kubelet would add: a pod gets the
 * status its containers would have once
 * started, as {@link #kubelet} says (by default: init containers ended with 0, containers running and
 * the pod ready); the bundle's log is what {@link #bundleLog} holds.
 */
final class FakeCluster implements AutoCloseable {
    static final String NAMESPACE = "bottles";
    /** The node every pod runs on. */
    static final String NODE_IP = "192.168.49.2";
    /** Every pod's own address. */
    static final String POD_IP = "10.244.0.9";
    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<Watch> watches = new ArrayList<>();
    private final java.util.Map<String, String> logs = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the kubelet makes of a pod, by the pod: the statuses of its init containers and containers. */
    volatile Function<Pod, Pod> kubelet = FakeCluster::started;
    /** How admitting the guest to the bundle's daemons ends. */
    volatile int admitExit;
    /** The bundle's INPUT chain, as {@code iptables -S INPUT} lists it once the guest was admitted. */
    private final String inputChain = "-P INPUT ACCEPT\n-A INPUT -s " + POD_IP + "/32 -p tcp -m multiport --dports 8888 -j "
            + "ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp -m multiport --dports 8888 -j REJECT --reject-with "
            + "tcp-reset\n";

    /** The server says each request it answers: kept, so a test's output stays its own. */
    private static final java.util.logging.Logger QUIET = quiet();

    FakeCluster() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient().inNamespace(NAMESPACE);
        watches.add(client.pods().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    if ("bundle".equals(pod.getMetadata().getLabels().get(KubeLabels.ROLE))) {
                        answerLog(pod.getMetadata().getName(), pod.getMetadata().getLabels().get(KubeLabels.SLUG));
                        answerFence(pod.getMetadata().getName());
                    }
                    client.pods().inNamespace(NAMESPACE).resource(kubelet.apply(pod)).updateStatus();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }));
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /**
     * The bundle's log, as the pod's log subresource answers it once the bundle pod is made;
     * {@code {generation}} in it stands for the generation of the values in the bottle's Secret, as the
     * gateway would name it.
     */
    void bundleLog(String slug, String log) {
        logs.put("claude-bottle-" + slug + "-bundle", log);
    }

    /** Answers the log subresource of bundle pod {@code pod} with its log, the values' generation in it. */
    private void answerLog(String pod, String slug) {
        String log = logs.get(pod);
        if (log == null) {
            return;
        }
        String body = log.replace("{generation}", generation(slug));
        String path = "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false";
        for (String query : List.of("&container=bundle", "&container=bundle&follow=true")) {
            server.expect().get().withPath(path + query).andReturn(200, body).always();
        }
    }

    /**
     * Answers the bundle's fence container: admitting the guest (every pod here has {@link #POD_IP}) ends
     * with {@link #admitExit}; listing the INPUT chain shows the fence as the launch leaves it.
     */
    private void answerFence(String pod) {
        server.expect().get().withPath(execPath(pod, BundleFirewall.CONTAINER, BundleFirewall.admit(POD_IP, "8888")))
                .andUpgradeToWebSocket().open().waitFor(10).andEmit(new StatusStreamMessage(admitExit)).done().always();
        server.expect().get().withPath(execPath(pod, BundleFirewall.CONTAINER, List.of("iptables", "-S", "INPUT")))
                .andUpgradeToWebSocket().open(new OutputStreamMessage(inputChain)).waitFor(10)
                .andEmit(new StatusStreamMessage(0)).done().always();
    }

    /** The exec subresource's path for {@code argv} in {@code container} of {@code pod}, as the client asks for it. */
    static String execPath(String pod, String container, List<String> argv) {
        return "/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/exec?" + argv.stream()
                .map(a -> "command=" + java.net.URLEncoder.encode(a, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                .collect(java.util.stream.Collectors.joining("&")) + "&container=" + container
                + "&stdout=true&stderr=true";
    }

    /** The generation of the values in bottle {@code slug}'s Secret. */
    String generation(String slug) {
        var secret = client.secrets().inNamespace(NAMESPACE).withName("claude-bottle-" + slug + "-files").get();
        if (secret == null) {
            return "";
        }
        String json = new String(java.util.Base64.getDecoder().decode(secret.getData().get("bound-values")),
                java.nio.charset.StandardCharsets.UTF_8);
        var m = java.util.regex.Pattern.compile("\"generation\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    /** The pod as its kubelet would report it once its containers started and it is ready. */
    static Pod started(Pod pod) {
        return withStatus(pod, 0, "Running", true);
    }

    /** The pod with its init containers ended with {@code initExit}, then its containers running if that was 0. */
    static Pod withStatus(Pod pod, int initExit, String phase, boolean ready) {
        List<ContainerStatus> init = pod.getSpec().getInitContainers().stream().map(c -> new ContainerStatusBuilder()
                .withName(c.getName()).withNewState().withNewTerminated().withExitCode(initExit)
                .withMessage(initExit == 0 ? null : "iptables: Permission denied").endTerminated().endState().build())
                .toList();
        List<ContainerStatus> containers = initExit != 0 ? List.of() : pod.getSpec().getContainers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.getName()).withReady(ready).withNewState()
                        .withNewRunning().endRunning().endState().build()).toList();
        pod.setStatus(new PodStatusBuilder().withPhase(phase).withInitContainerStatuses(init)
                .withContainerStatuses(containers).addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().withPodIP(POD_IP).withHostIP(NODE_IP).build());
        return pod;
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        client.close();
        server.destroy();
    }
}
