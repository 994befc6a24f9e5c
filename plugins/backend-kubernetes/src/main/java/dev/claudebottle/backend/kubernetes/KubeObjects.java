package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.BundleDaemon;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Endpoint;
import dev.claudebottle.spi.Endpoints;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.GuestLimits;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The objects of one bottle on a cluster, as the launch creates them, in order: the bundle's Secret
 * (its route values and the files it reads) and ConfigMap (its policy), the two NetworkPolicies that
 * fence guest and bundle before either pod exists, the bundle pod, then the guest pod, which reaches
 * the bundle pod at its own address. Guest and bundle are pods apart: a pod shares one network
 * namespace, so a guest in the bundle's pod would share its way out. No Service stands between them:
 * a Service sends to whatever pods carry its labels, and anyone who may create pods in the namespace
 * may copy labels.
 */
final class KubeObjects {
    /** The name the guest reaches the bundle by, from its hosts file. */
    static final String BUNDLE_HOST = "claude-bottle-bundle";
    /**
     * How long a pod's containers have to end once it is deleted: the guest's idle process ignores
     * the polite signal, and a teardown waits for the pod to be gone.
     */
    static final long GRACE_SECONDS = 2;
    /**
     * The gate each pod is created behind: no node runs it until the launch has compared what the
     * cluster stored with what it sent, and lifted the gate.
     */
    static final String GATE = "claude-bottle.dev/admitted";
    /** The agent user's uid and gid in the agent image. */
    static final long AGENT_UID = 1000;
    /** The bundle holds what the guest sends through it: its JVM's heap and as much again. */
    static final String BUNDLE_MEMORY = "2Gi";
    private static final String VALUES_KEY = "bound-values";
    /** The annotation that tells one launch's objects from another's of the same names. */
    private static final String LAUNCH = "claude-bottle.launch";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final LaunchRequest request;
    private final String namespace;
    private final String agentImage;
    private final String bundleImage;
    private final String homeId;
    private final String launch;

    /**
     * The objects of {@code request} in {@code namespace}, from the images given, labelled with the
     * launching home's id {@code homeId}, and marked as made by one launch of their own.
     */
    KubeObjects(LaunchRequest request, String namespace, String agentImage, String bundleImage, String homeId) {
        this.request = request;
        this.namespace = namespace;
        this.agentImage = agentImage;
        this.bundleImage = bundleImage;
        this.homeId = homeId;
        this.launch = java.util.UUID.randomUUID().toString();
        if (name("bundle").length() > 63) {
            throw new BadInputException("bottle " + slug() + " makes object names longer than a cluster takes (63)",
                    "give the agent a shorter name");
        }
    }

    String namespace() {
        return namespace;
    }

    String homeId() {
        return homeId;
    }

    String slug() {
        return request.spec().slug();
    }

    /** The name of this bottle's object of {@code role}. */
    String name(String role) {
        return "claude-bottle-" + slug() + "-" + role;
    }

    private Path home() {
        return KubeLabels.home(request.spec());
    }

    private ObjectMeta meta(String role) {
        Map<String, String> annotations = new LinkedHashMap<>(KubeLabels.annotations(home()));
        annotations.put(LAUNCH, launch);
        return new ObjectMetaBuilder().withName(name(role)).withNamespace(namespace)
                .withLabels(selector(role)).withAnnotations(annotations).build();
    }

    /** The labels of this bottle's object of {@code role}, which select its pod of that role. */
    Map<String, String> selector(String role) {
        return KubeLabels.of(slug(), role, homeId);
    }

    /** Whether {@code object} was made by this launch (not merely named as its objects are). */
    boolean made(HasMetadata object) {
        return object.getMetadata().getAnnotations() != null
                && launch.equals(object.getMetadata().getAnnotations().get(LAUNCH));
    }

    /** Where the guest reaches each bundle port: at the bundle's name. */
    Endpoints endpoints() {
        Map<String, Endpoint> byPort = new LinkedHashMap<>();
        request.ports().forEach(p -> byPort.put(p.name(), new Endpoint(BUNDLE_HOST, p.port())));
        return new Endpoints(byPort);
    }

    /** The guest's env, every endpoint at the bundle's name. */
    Map<String, String> guestEnv() {
        return request.resolvedGuestEnv(endpoints()::get);
    }

    /** The bundle's files as placed in its objects, read from the host now. */
    BundleFiles files() {
        return BundleFiles.read(request.bundleMounts(), name("policy"), name("files"), bundleImage);
    }

    /** The launch's secret bundle env entries, as the bundle's values file holds them; a withheld value is left out. */
    BoundValues values() {
        Map<String, Secret> values = new LinkedHashMap<>();
        request.bundleEnv().forEach(b -> b.secret().filter(v -> !v.isEmpty()).ifPresent(v -> values.put(b.name(), v)));
        return new BoundValues(values);
    }

    /** The Secret with {@code values} and the bundle's files. */
    io.fabric8.kubernetes.api.model.Secret secret(BundleFiles files, BoundValues values) {
        Map<String, String> data = new LinkedHashMap<>(files.secret());
        try {
            data.put(VALUES_KEY, java.util.Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(
                    values.toJson())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the bound values could not be written", e);
        }
        return new SecretBuilder().withMetadata(meta("files")).withType("Opaque").withImmutable(true).withData(data)
                .build();
    }

    /** The ConfigMap with the gateway's policy. */
    ConfigMap config(BundleFiles files) {
        return new ConfigMapBuilder().withMetadata(meta("policy")).withData(files.config()).build();
    }

    /**
     * The fence's policies: the guest sends to its bundle's daemons only and takes nothing in; the bundle
     * takes in from its guest only, on its daemons' ports. Its own egress is the gateway's to judge.
     */
    List<NetworkPolicy> policies() {
        List<NetworkPolicyPort> ports = request.daemons().stream().map(d -> new NetworkPolicyPortBuilder()
                .withProtocol("TCP").withPort(new IntOrString(d.port())).build()).toList();
        NetworkPolicy guest = new NetworkPolicyBuilder().withMetadata(meta("guest")).withNewSpec()
                .withPodSelector(new LabelSelector(null, selector("guest"))).withPolicyTypes("Ingress", "Egress")
                .addNewEgress().addNewTo().withPodSelector(new LabelSelector(null, selector("bundle"))).endTo()
                .withPorts(ports).endEgress().endSpec().build();
        NetworkPolicy bundle = new NetworkPolicyBuilder().withMetadata(meta("bundle")).withNewSpec()
                .withPodSelector(new LabelSelector(null, selector("bundle"))).withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withPodSelector(new LabelSelector(null, selector("guest"))).endFrom()
                .withPorts(ports).endIngress().endSpec().build();
        return List.of(guest, bundle);
    }

    private static String portName(BundleDaemon daemon) {
        return daemon.name().length() <= 15 ? daemon.name() : "p" + daemon.port();
    }

    /** The bundle pod: its daemons chosen by env, its files mounted, its values in its Secret only. */
    Pod bundle(BundleFiles files) {
        List<EnvVar> env = new ArrayList<>();
        for (BundleEnv b : request.bundleEnv()) {
            b.value().ifPresent(value -> env.add(new EnvVar(b.name(), value, null)));
        }
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(files.volumes());
        volumes.add(new VolumeBuilder().withName("values").withNewSecret().withSecretName(name("files"))
                .withItems(new io.fabric8.kubernetes.api.model.KeyToPathBuilder().withKey(VALUES_KEY).withMode(0400)
                        .withPath(Path.of(BundleLayout.BOUND_VALUES).getFileName().toString()).build())
                .withDefaultMode(0400).endSecret().build());
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(files.mounts());
        mounts.add(new VolumeMountBuilder().withName("values").withReadOnly(true)
                .withMountPath(Path.of(BundleLayout.BOUND_VALUES).getParent().toString()).build());
        var container = new ContainerBuilder().withName("bundle").withImage(bundleImage).withArgs("bundle")
                .withEnv(env).withVolumeMounts(mounts).withSecurityContext(noPrivileges(0L))
                .withNewResources().addToLimits("memory", new Quantity(BUNDLE_MEMORY)).endResources()
                .withPorts(request.daemons().stream().map(d -> new io.fabric8.kubernetes.api.model.ContainerPort(
                        d.port(), null, null, portName(d), "TCP")).toList())
                .build();
        // the daemons answer nobody until the launch admits the guest: see BundleFirewall
        var refuse = new ContainerBuilder().withName("fence-init").withImage(bundleImage)
                .withCommand("sh", "-c", BundleFirewall.refuseAll()).withSecurityContext(netAdmin()).build();
        var fence = new ContainerBuilder().withName(BundleFirewall.CONTAINER).withImage(bundleImage)
                .withCommand("sleep", "infinity").withSecurityContext(netAdmin())
                .withNewResources().addToLimits("memory", new Quantity("32Mi")).endResources().build();
        List<io.fabric8.kubernetes.api.model.Container> init = new ArrayList<>(List.of(refuse));
        files.seed().ifPresent(init::add);
        return new PodBuilder().withMetadata(meta("bundle")).withNewSpec().withRestartPolicy("OnFailure")
                .withTerminationGracePeriodSeconds(GRACE_SECONDS)
                .withSchedulingGates(new io.fabric8.kubernetes.api.model.PodSchedulingGate(GATE))
                .withAutomountServiceAccountToken(false).withEnableServiceLinks(false).withHostNetwork(false)
                .withHostPID(false).withHostIPC(false).withInitContainers(init)
                .withContainers(container, fence).withVolumes(volumes).withNewSecurityContext().withNewSeccompProfile()
                .withType("RuntimeDefault").endSeccompProfile().endSecurityContext().endSpec().build();
    }

    /**
     * The guest pod, reaching the bundle at {@code bundleAddress} (the bundle pod's own) by name from
     * its hosts file, with no resolver, its firewall set by an init container before the agent's
     * container starts, and its env {@code guestEnv}.
     */
    Pod guest(String bundleAddress, Map<String, String> guestEnv) {
        GuestLimits limits = request.spec().bottle().limits();
        var fence = new ContainerBuilder().withName("fence").withImage(bundleImage)
                .withCommand("sh", "-c", GuestFirewall.script(bundleAddress, daemonPorts()))
                .withSecurityContext(netAdmin()).build();
        var resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity(Long.toString(limits.memoryBytes())));
        limits.cpus().ifPresent(c -> resources.addToLimits("cpu", new Quantity(c.toPlainString())));
        var agent = new ContainerBuilder().withName("agent").withImage(agentImage)
                .withCommand("sleep", "infinity").withWorkingDir(request.spec().guestHome())
                .withEnv(guestEnv.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
                .withVolumeMounts(new VolumeMountBuilder().withName("home").withMountPath(request.spec().guestHome())
                        .build())
                .withSecurityContext(guestContext()).withResources(resources.build()).build();
        return new PodBuilder().withMetadata(meta("guest")).withNewSpec().withRestartPolicy("OnFailure")
                .withTerminationGracePeriodSeconds(GRACE_SECONDS)
                .withSchedulingGates(new io.fabric8.kubernetes.api.model.PodSchedulingGate(GATE))
                .withAutomountServiceAccountToken(false).withEnableServiceLinks(false).withHostNetwork(false)
                .withHostPID(false).withHostIPC(false).withShareProcessNamespace(false)
                .withDnsPolicy("None").withNewDnsConfig().withNameservers("127.0.0.1").endDnsConfig()
                .addNewHostAlias().withIp(bundleAddress).withHostnames(BUNDLE_HOST).endHostAlias()
                .withInitContainers(fence).withContainers(agent)
                .withVolumes(new VolumeBuilder().withName("home").withNewEmptyDir().endEmptyDir().build())
                .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext().endSpec().build();
    }

    /**
     * The agent container's: its idle main process is root, so provisioning runs unchanged, holding only
     * what provisioning and the probes need (and {@code SETPCAP}, which emptying the agent's bounding set
     * takes); no process in it gains privileges, and the agent runs as
     * {@value #AGENT_UID} with none of them ({@link KubeGuest}).
     */
    static SecurityContext guestContext() {
        return new SecurityContextBuilder().withRunAsUser(0L).withAllowPrivilegeEscalation(false).withPrivileged(false)
                .withCapabilities(new Capabilities(List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID",
                        "SETPCAP", "SYS_PTRACE"), List.of("ALL")))
                .build();
    }

    /** The daemons' ports, comma-separated, as iptables takes them. */
    String daemonPorts() {
        return request.daemons().stream().map(d -> Integer.toString(d.port())).collect(Collectors.joining(","));
    }

    /** A firewall container's: root, {@code NET_ADMIN} alone, no privilege to gain. */
    private static SecurityContext netAdmin() {
        return new SecurityContextBuilder().withRunAsUser(0L).withAllowPrivilegeEscalation(false)
                .withPrivileged(false).withCapabilities(new Capabilities(List.of("NET_ADMIN"), List.of("ALL"))).build();
    }

    /** A container's that may not gain privileges and holds no capability, as {@code user}. */
    static SecurityContext noPrivileges(long user) {
        return new SecurityContextBuilder().withRunAsUser(user).withAllowPrivilegeEscalation(false)
                .withPrivileged(false).withCapabilities(new Capabilities(List.of(), List.of("ALL"))).build();
    }

    /** Every object but the guest pod, in the order the launch creates them. */
    List<HasMetadata> bundleSide(BundleFiles files, BoundValues values) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(secret(files, values));
        objects.add(config(files));
        objects.addAll(policies());
        objects.add(bundle(files));
        return objects;
    }

}
