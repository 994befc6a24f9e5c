package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Phase;
import dev.claudebottle.spi.ResultKey;
import dev.claudebottle.spi.Step;
import dev.claudebottle.spi.StepContext;
import dev.claudebottle.spi.Undo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One bottle on a cluster: the bundle's side (Secret, ConfigMap, the fence's NetworkPolicies, the
 * bundle pod), then the guest pod once the bundle pod has its address, then the wait for the bundle's
 * daemons. Each step's undo deletes what it created, the guest pod first; what a killed CLI left is
 * {@code bottle gc}'s, by label.
 */
final class KubeLaunch {
    private static final ResultKey<String> BUNDLE_ADDRESS = new ResultKey<>("kubernetes.bundle-address",
            String.class);
    private static final ResultKey<String> GENERATION = new ResultKey<>("kubernetes.values-generation", String.class);
    private final LaunchRequest request;
    private final KubeCluster cluster;
    private final KubeSettings settings;
    private final Path home;
    private static final String NO_ID = "<this home's id, made at its first launch>";
    private KubeObjects objects;

    /** The launch of {@code request} from state home {@code home}. */
    KubeLaunch(LaunchRequest request, KubeCluster cluster, KubeSettings settings, Path home) {
        this.request = request;
        this.cluster = cluster;
        this.settings = settings;
        this.home = home;
    }

    /**
     * The objects of this launch, in the images the settings name (placeholders where they name none),
     * labelled with the home's id (a placeholder where it has none yet: a plan makes nothing).
     */
    synchronized KubeObjects objects(String namespace) {
        // one set for the whole launch: its objects carry one launch's mark
        if (objects == null || !objects.namespace().equals(namespace)) {
            objects = new KubeObjects(request, namespace, settings.agentImage().orElse("<" + KubeSettings.AGENT_IMAGE
                    + ", not set>"), settings.bundleImage().orElse("<" + KubeSettings.BUNDLE_IMAGE + ", not set>"),
                    KubeHome.of(home).orElse(NO_ID));
        }
        return objects;
    }

    List<Step> steps() {
        List<Step> steps = new ArrayList<>(launch());
        steps.addAll(new KubeProbes(request.spec().slug(), cluster, request.daemons().stream().map(d -> d.port())
                .toList()).steps());
        return List.copyOf(steps);
    }

    private List<Step> launch() {
        String daemons = request.daemons().stream().map(d -> d.name() + ":" + d.port())
                .collect(Collectors.joining(", "));
        return List.of(
                Step.of("kubernetes.bundle", Phase.LAUNCH, "create the bundle's Secret and ConfigMap, the fence's "
                        + "NetworkPolicies (the guest sends to its bundle's daemons only; the bundle takes in from its "
                        + "guest only) and the bundle pod (" + daemons + "), once the namespace holds no other home's "
                        + "bottle and no other policy selects guest or bundle", this::bundle),
                new Step("kubernetes.guest", Phase.LAUNCH, List.of("kubernetes.bundle"), "start the guest pod once "
                        + "the bundle pod has its address, then admit the guest's address alone to the bundle's "
                        + "daemons: its firewall set by an init container first, no resolver, "
                        + "the bundle by name from its hosts file, no service account token, limited to "
                        + request.spec().bottle().limits().summary() + "; the pod the cluster admitted is checked "
                        + "against the one sent", this::guest),
                Step.of("kubernetes.ready", Phase.FINISH, "wait until the bundle pod is ready and its daemons ("
                        + daemons + ") say they listen", this::ready));
    }

    private Undo bundle(StepContext ctx) throws Exception {
        KubernetesClient client = cluster.client();
        String namespace = cluster.namespace();
        settings.requireAgentImage();
        settings.requireBundleImage();
        // before anything is made: the home's id labels what it makes, and says gc should look for it
        String id = KubeHome.ensure(home);
        synchronized (this) {
            if (objects != null && objects.homeId().equals(NO_ID)) {
                objects = null;
            }
        }
        KubeObjects objects = objects(namespace);
        KubeNamespace.refuseShared(client, namespace, id);
        var policies = client.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
        ForeignPolicies.refuse(policies, List.of(objects.name("guest"), objects.name("bundle")), Map.of(
                "guest", objects.selector("guest"), "bundle", objects.selector("bundle")));
        BoundValues values = objects.values();
        List<HasMetadata> planned = objects.bundleSide(objects.files(), values);
        List<HasMetadata> created = Collections.synchronizedList(new ArrayList<>());
        Undo undo = () -> KubeDeletion.delete(client, namespace, created);
        try {
            for (HasMetadata object : planned) {
                HasMetadata stored = client.resource(object).inNamespace(namespace).create();
                created.add(stored);
                if (object instanceof Pod bundle) {
                    refuseChanged(client, bundle, (Pod) stored, namespace);
                }
            }
            ctx.produce(Backend.ENDPOINTS, objects.endpoints());
            ctx.produce(GENERATION, values.generation());
        } catch (RuntimeException | Error failure) {
            leftBehind(client, namespace, objects, planned, created);
            undo.undo();
            throw failure;
        }
        return undo;
    }

    /**
     * Adds to {@code created} what of {@code planned} the cluster holds as this launch's although its
     * create was not answered (a create can succeed on the server and time out here); one another
     * launch made (a name taken) is not this one's, and its launch annotation says so.
     */
    private void leftBehind(KubernetesClient client, String namespace, KubeObjects objects, List<HasMetadata> planned,
                            List<HasMetadata> created) {
        List<String> made = created.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
        for (HasMetadata object : planned) {
            if (made.contains(object.getKind() + "/" + object.getMetadata().getName())) {
                continue;
            }
            try {
                HasMetadata there = client.resource(object).inNamespace(namespace).get();
                if (there != null && objects.made(there)) {
                    created.add(there);
                }
            } catch (KubernetesClientException unknown) {
                // gc finds it by label
            }
        }
    }

    private Undo guest(StepContext ctx) throws Exception {
        KubernetesClient client = cluster.client();
        String namespace = cluster.namespace();
        KubeObjects objects = objects(namespace);
        Pod bundle = PodStates.await(client, namespace, objects.name("bundle"), p -> PodStates.address(p).isPresent()
                || PodStates.failed(p).isPresent(), "the bundle pod to have its address");
        String address = PodStates.address(bundle).orElseThrow(() -> new BottleException("bundle pod "
                + objects.name("bundle") + " did not start: " + PodStates.failed(bundle).orElse("it has no address"),
                "kubectl describe pod -n " + namespace + " " + objects.name("bundle")));
        ctx.produce(BUNDLE_ADDRESS, address);
        Pod guest = objects.guest(address, objects.guestEnv());
        String name = guest.getMetadata().getName();
        List<HasMetadata> created = Collections.synchronizedList(new ArrayList<>());
        Undo undo = () -> KubeDeletion.delete(client, namespace, created);
        try {
            Pod stored;
            try {
                stored = client.resource(guest).inNamespace(namespace).create();
            } catch (RuntimeException unanswered) {
                // a create the server did but never answered is this launch's to remove
                Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get()).filter(objects::made)
                        .ifPresent(created::add);
                throw unanswered;
            }
            created.add(stored);
            refuseChanged(client, guest, stored, namespace);
            ctx.events().lifecycle("waiting for guest pod " + name + " to start");
            Pod started = PodStates.await(client, namespace, name, p -> PodStates.running(p, "agent")
                    || PodStates.failed(p).isPresent(), "the guest pod to start");
            PodStates.failed(started).ifPresent(why -> {
                throw new BottleException("guest pod " + name + " did not start: " + why,
                        "kubectl describe pod -n " + namespace + " " + name);
            });
            admit(client, namespace, objects, PodStates.address(started).orElseThrow(() -> new BottleException(
                    "guest pod " + name + " runs without an address", "kubectl describe pod -n " + namespace + " "
                    + name)));
            ctx.produce(Backend.GUEST, new KubeGuest(client, namespace, name, request.spec().guestHome()));
        } catch (RuntimeException | Error failure) {
            undo.undo();
            throw failure;
        }
        return undo;
    }

    /**
     * Refuses a pod the cluster stored otherwise than it was sent (admission added to it), while its
     * gate still keeps it off every node; lifts the gate of one stored as sent.
     */
    private static void refuseChanged(KubernetesClient client, Pod sent, Pod stored, String namespace) {
        AdmittedPod.changes(sent, stored).ifPresent(change -> {
            throw new EnvironmentException("the cluster admitted pod " + sent.getMetadata().getName() + " changed ("
                    + change + "): admission adds to the pods of namespace " + namespace, "run bottles in a namespace "
                    + "no injecting webhook (a service mesh, a secrets agent, a cloud's identity) selects; the "
                    + "cluster must be Kubernetes 1.27 or later, which keeps a pod's scheduling gates");
        });
        client.pods().inNamespace(namespace).withName(sent.getMetadata().getName()).edit(p -> {
            p.getSpec().setSchedulingGates(p.getSpec().getSchedulingGates().stream()
                    .filter(g -> !g.getName().equals(KubeObjects.GATE)).toList());
            return p;
        });
    }

    /** Lets the guest at {@code guest} reach the bundle's daemons, which answered nobody until now. */
    private static void admit(KubernetesClient client, String namespace, KubeObjects objects, String guest)
            throws InterruptedException {
        var r = new PodExec(client, namespace, objects.name("bundle"), BundleFirewall.CONTAINER)
                .run(BundleFirewall.admit(guest, objects.daemonPorts()));
        if (!r.ok()) {
            throw new BottleException("admitting the guest to the bundle's daemons failed (exit " + r.exitCode() + "): "
                    + (r.stdout() + r.stderr()).strip(), "the bundle image needs iptables");
        }
    }

    private Undo ready(StepContext ctx) throws Exception {
        KubernetesClient client = cluster.client();
        String namespace = cluster.namespace();
        String name = objects(namespace).name("bundle");
        Pod pod = PodStates.await(client, namespace, name, p -> PodStates.running(p, "bundle") && PodStates.ready(p)
                || PodStates.failed(p).isPresent(), "the bundle pod to be ready");
        boolean values = request.bundleEnv().stream().anyMatch(b -> b.secret().filter(v -> !v.isEmpty()).isPresent());
        BundleReadiness readiness = new BundleReadiness(request.daemons().stream().map(d -> d.name()).toList(),
                values ? Optional.of(ctx.result(GENERATION)) : Optional.empty());
        Optional<String> failure = PodStates.failed(pod);
        if (failure.isEmpty()) {
            follow(client.pods().inNamespace(namespace).withName(name).inContainer("bundle").watchLog(), readiness);
            failure = readiness.missing();
        }
        if (failure.isPresent()) {
            throw new BottleException("the bundle for bottle " + request.spec().slug() + " did not become ready ("
                    + failure.get() + "); its last log lines:\n  " + String.join("\n  ", readiness.last(20)),
                    "kubectl describe pod -n " + namespace + " " + name);
        }
        return Undo.NONE;
    }

    /** Hands the log's lines to {@code readiness} as they are written, until it decided, the log ends or time is up. */
    private static void follow(io.fabric8.kubernetes.client.dsl.LogWatch watch, BundleReadiness readiness)
            throws InterruptedException {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null && !readiness.take(line); line = in.readLine()) {
                    // each line is taken in the loop's condition
                }
            } catch (IOException ended) {
                // the log ended: what it said is judged by the caller
            }
        }, "bundle log");
        reader.setDaemon(true);
        reader.start();
        reader.join(TimeUnit.SECONDS.toMillis(PodStates.START_SECONDS));
        watch.close();
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }
}
