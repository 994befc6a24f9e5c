package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.ImageBuildRequest;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.pf4j.Extension;

/**
 * Bottles as pods of one namespace of a cluster: the bundle pod with its Secret and ConfigMap, the
 * guest pod apart, both fenced by NetworkPolicies and the guest by its own firewall too.
 */
@Extension
public final class KubernetesBackend implements Backend {
    private final HostEnvironment env;
    private final BottlePaths paths;
    private final EventSink events;
    private KubeSettings settings;
    private KubeCluster cluster;

    /** The backend on the cluster of the host's kubeconfig. */
    @Inject
    public KubernetesBackend(HostEnvironment env, BottlePaths paths, EventSink events) {
        this.env = env;
        this.paths = paths;
        this.events = events;
    }

    /** The backend on {@code cluster}, with {@code settings}. */
    KubernetesBackend(KubeCluster cluster, KubeSettings settings, BottlePaths paths, EventSink events) {
        this(HostEnvironment.of(java.util.Map.of()), paths, events);
        this.cluster = cluster;
        this.settings = settings;
    }

    private synchronized KubeSettings settings() {
        if (settings == null) {
            settings = KubeSettings.from(env);
        }
        return settings;
    }

    private synchronized KubeCluster cluster() {
        if (cluster == null) {
            cluster = KubeCluster.of(settings(), env);
        }
        return cluster;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return "pods on a Kubernetes cluster: guest and bundle apart, fenced by NetworkPolicies and the guest's "
                + "own firewall";
    }

    @Override
    public List<Check> doctor() {
        try {
            return new KubeDoctor(settings(), cluster()).checks();
        } catch (dev.claudebottle.spi.BottleException e) {
            return List.of(Check.fail("kubernetes settings", e.getMessage(), e.hint().orElse("see docs/kubernetes.md")));
        }
    }

    @Override
    public List<Step> launchSteps(LaunchRequest request) {
        return new KubeLaunch(request, cluster(), settings(), paths.home()).steps();
    }

    /** The objects a launch of {@code request} creates, as YAML, with every Secret's data elided. */
    @Override
    public Optional<String> describe(LaunchRequest request) {
        // a plan needs no cluster: the namespace is the settings', else the kubeconfig's, else the default
        String namespace = settings().namespace().orElseGet(() -> {
            try {
                return cluster().namespace();
            } catch (EnvironmentException none) {
                return "default";
            }
        });
        return Optional.of(describe(request, namespace));
    }

    String describe(LaunchRequest request, String namespace) {
        return KubePlan.yaml(new KubeLaunch(request, cluster(), settings(), paths.home()).objects(namespace));
    }

    @Override
    public List<BuiltImage> buildImages(ImageBuildRequest request) {
        throw new EnvironmentException("the kubernetes backend runs images the cluster pulls; it builds none",
                "build them on docker (bottle image build --backend docker), push them, and set "
                        + KubeSettings.AGENT_IMAGE + " and " + KubeSettings.BUNDLE_IMAGE + " to their digests");
    }

    /** Every object of this namespace that belongs to a bottle, of the kinds a bottle has. */
    private List<HasMetadata> objects(String labelKey, String labelValue) {
        KubernetesClient client = cluster().client();
        String ns = cluster().namespace();
        // a null value selects every object that has the label at all
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.pods().inNamespace(ns).withLabel(labelKey, labelValue).list().getItems());
        all.addAll(client.secrets().inNamespace(ns).withLabel(labelKey, labelValue).list().getItems());
        all.addAll(client.configMaps().inNamespace(ns).withLabel(labelKey, labelValue).list().getItems());
        all.addAll(client.network().v1().networkPolicies().inNamespace(ns).withLabel(labelKey, labelValue).list()
                .getItems());
        return all;
    }

    /**
     * The bottles in the namespace, once this home launched one on a cluster: a home that never did
     * asks no cluster (its kubeconfig may name one it has no business with). A cluster that cannot be
     * asked is warned of, so the other backends' bottles are still collected.
     */
    @Override
    public List<String> bottles() {
        if (KubeHome.of(paths.home()).isEmpty()) {
            return List.of();
        }
        Set<String> slugs = new TreeSet<>();
        try {
            objects(KubeLabels.SLUG, null).forEach(o -> slugs.add(o.getMetadata().getLabels().get(KubeLabels.SLUG)));
        } catch (KubernetesClientException | EnvironmentException | IllegalStateException e) {
            events.warn("the cluster's bottles could not be listed: " + e.getMessage());
            return List.of();
        }
        return List.copyOf(slugs);
    }

    /**
     * The home every object of the bottle names, where they all name the same one and carry the id that
     * home holds; else none, which gc treats as another home's.
     */
    @Override
    public Optional<Path> home(String slug) {
        List<HasMetadata> objects = objects(KubeLabels.SLUG, slug);
        Set<String> named = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        for (HasMetadata o : objects) {
            var annotations = o.getMetadata().getAnnotations();
            named.add(annotations == null ? "" : annotations.getOrDefault(KubeLabels.HOME_PATH, ""));
            ids.add(o.getMetadata().getLabels().getOrDefault(KubeLabels.HOME, ""));
        }
        if (named.size() != 1 || named.contains("") || ids.size() != 1) {
            return Optional.empty();
        }
        Path home = Path.of(named.iterator().next());
        return KubeHome.of(home).filter(ids::contains).map(id -> home);
    }

    /**
     * Deletes the bottle's objects that this home launched, the guest pod first; a bottle of the same
     * name another home launched is left alone (its home removes it).
     */
    @Override
    public void remove(String slug) {
        Optional<String> mine = KubeHome.of(paths.home());
        if (mine.isEmpty()) {
            return;
        }
        List<HasMetadata> objects = objects(KubeLabels.SLUG, slug).stream()
                .filter(o -> mine.get().equals(o.getMetadata().getLabels().get(KubeLabels.HOME))).toList();
        KubeDeletion.delete(cluster().client(), cluster().namespace(), objects);
    }

    @Override
    public Optional<Guest> guest(String slug, String guestHome) {
        String ns = cluster().namespace();
        Pod pod = cluster().client().pods().inNamespace(ns).withName("claude-bottle-" + slug + "-guest").get();
        // this home's bottle only: the commands it runs go to the agent of its own bottle
        if (pod == null || !PodStates.running(pod, "agent") || !slug.equals(pod.getMetadata().getLabels()
                .get(KubeLabels.SLUG)) || !KubeHome.of(paths.home()).map(id -> id.equals(pod.getMetadata()
                .getLabels().get(KubeLabels.HOME))).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(new KubeGuest(cluster().client(), ns, pod.getMetadata().getName(), guestHome));
    }

    @Override
    public List<String> bundleLogs(String slug, int tail) {
        try {
            String log = cluster().client().pods().inNamespace(cluster().namespace())
                    .withName("claude-bottle-" + slug + "-bundle").inContainer("bundle").tailingLines(tail).getLog();
            return log == null ? List.of() : log.lines().toList();
        } catch (KubernetesClientException gone) {
            return List.of();
        }
    }

    @Override
    public void followBundleLogs(String slug, Consumer<String> line) throws InterruptedException {
        var pod = cluster().client().pods().inNamespace(cluster().namespace())
                .withName("claude-bottle-" + slug + "-bundle");
        if (pod.get() == null) {
            return;
        }
        try (var watch = pod.inContainer("bundle").watchLog();
             BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
            try (Stream<String> lines = in.lines()) {
                lines.forEach(line);
            }
        } catch (java.io.IOException | KubernetesClientException ended) {
            // the bundle went
        }
    }

    @Override
    public synchronized void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
