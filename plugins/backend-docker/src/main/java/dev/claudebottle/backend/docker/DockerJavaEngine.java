package dev.claudebottle.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** {@link DockerEngine} on docker-java, honouring {@code DOCKER_HOST} like the docker CLI. */
public final class DockerJavaEngine implements DockerEngine {
    private final DockerClientConfig config;
    private final DockerClient client;

    /** An engine configured like the docker CLI, from {@code DOCKER_HOST} and friends in {@code env}. */
    public DockerJavaEngine(HostEnvironment env) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        env.get("DOCKER_HOST").filter(s -> !s.isBlank()).ifPresent(builder::withDockerHost);
        env.get("DOCKER_TLS_VERIFY").filter(s -> !s.isBlank())
                .ifPresent(v -> builder.withDockerTlsVerify(!"0".equals(v)));
        env.get("DOCKER_CERT_PATH").filter(s -> !s.isBlank()).ifPresent(builder::withDockerCertPath);
        config = builder.build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        client = DockerClientImpl.getInstance(config, http);
    }

    @Override
    public EngineInfo info() {
        try {
            Version version = client.versionCmd().exec();
            Info info = client.infoCmd().exec();
            return new EngineInfo(String.valueOf(version.getVersion()), String.valueOf(version.getApiVersion()),
                    String.valueOf(info.getOperatingSystem()));
        } catch (RuntimeException e) {
            throw new EnvironmentException("the Docker engine at " + config.getDockerHost() + " does not answer: "
                    + rootMessage(e), "start the engine (dockerd, or Docker Desktop) or point DOCKER_HOST at it", e);
        }
    }

    @Override
    public Optional<String> imageId(String reference) {
        try {
            return Optional.ofNullable(client.inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public String build(InputStream context, String tag, Map<String, String> buildArgs, Consumer<String> progress) {
        var cmd = client.buildImageCmd().withTarInputStream(context).withTags(Set.of(tag)).withPull(false)
                .withRemove(true);
        buildArgs.forEach(cmd::withBuildArg);
        BuildImageResultCallback callback = cmd.exec(new BuildImageResultCallback() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null && !item.getStream().isBlank()) {
                    progress.accept(item.getStream().strip());
                }
                super.onNext(item);
            }
        });
        try {
            return callback.awaitImageId();
        } catch (DockerClientException e) {
            throw new BottleException("building " + tag + " failed: " + rootMessage(e),
                    "run with --debug to see the build output");
        }
    }

    @Override
    public String createNetwork(String name, boolean internal, Map<String, String> labels) {
        return client.createNetworkCmd().withName(name).withDriver("bridge").withInternal(internal)
                .withLabels(labels).withCheckDuplicate(true).exec().getId();
    }

    @Override
    public Subnet subnet(String network) {
        var config = client.inspectNetworkCmd().withNetworkId(network).exec().getIpam().getConfig();
        return config.stream().filter(c -> c.getSubnet() != null && c.getSubnet().contains("."))
                .map(c -> Subnet.of(c.getSubnet(), c.getGateway())).findFirst()
                .orElseThrow(() -> new BottleException("network " + network + " has no IPv4 subnet"));
    }

    @Override
    public boolean internal(String network) {
        return Boolean.TRUE.equals(client.inspectNetworkCmd().withNetworkId(network).exec().getInternal());
    }

    @Override
    public List<String> networksOf(String containerId) {
        var networks = client.inspectContainerCmd(containerId).exec().getNetworkSettings().getNetworks();
        return networks == null ? List.of() : networks.keySet().stream().sorted().toList();
    }

    @Override
    public String image(String containerId) {
        return client.inspectContainerCmd(containerId).exec().getImageId();
    }

    @Override
    public boolean networkExists(String name) {
        return client.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> name.equals(n.getName()));
    }

    @Override
    public void removeNetwork(String nameOrId) {
        try {
            client.removeNetworkCmd(nameOrId).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        var cmd = client.createContainerCmd(spec.image()).withName(spec.name()).withEnv(spec.env())
                .withLabels(spec.labels()).withHostConfig(hostConfig(spec));
        if (!spec.publish().isEmpty()) {
            cmd.withExposedPorts(spec.publish().stream()
                    .map(p -> com.github.dockerjava.api.model.ExposedPort.tcp(p.containerPort())).toList());
        }
        if (!spec.aliases().isEmpty()) {
            cmd.withAliases(spec.aliases());
        }
        spec.user().ifPresent(cmd::withUser);
        spec.hostname().ifPresent(cmd::withHostName);
        if (!spec.entrypoint().isEmpty()) {
            cmd.withEntrypoint(spec.entrypoint());
        }
        if (!spec.cmd().isEmpty()) {
            cmd.withCmd(spec.cmd());
        }
        CreateContainerResponse created;
        try {
            created = cmd.exec();
        } catch (DockerException refused) {
            if (spec.limits().flatMap(ContainerSpec.Limits::cpus).isPresent() && refusesCpuCap(refused.getMessage())) {
                throw new CpuCapRefused(rootMessage(refused), refused);
            }
            throw refused;
        }
        List<String> discarded = spec.limits().isPresent() ? discardedLimits(created.getWarnings()) : List.of();
        if (!discarded.isEmpty()) {
            // the engine made the container without the caps it was asked for: it never starts so
            remove(created.getId());
            throw new EnvironmentException("the Docker engine cannot cap the memory and processes of "
                    + spec.name() + ": " + String.join(" ", discarded), "give the engine the memory and pids cgroup "
                    + "controllers (rootless Docker: systemd delegates both unless told otherwise)");
        }
        return created.getId();
    }

    /** The engine's warnings that it dropped a memory or process cap it was given. */
    static List<String> discardedLimits(String[] warnings) {
        return warnings == null ? List.of() : java.util.Arrays.stream(warnings)
                .filter(w -> w != null && w.contains("discarded")).toList();
    }

    /** Whether the engine's refusal is that it cannot cap CPU time (Docker checks before it creates anything). */
    static boolean refusesCpuCap(String message) {
        return message != null && message.contains("NanoCPUs can not be set");
    }

    /**
     * What the engine is told about the container's place on the host: network, mounts, privileges,
     * ports and limits.
     */
    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.networkMode())
                .withBinds(spec.binds().stream().map(Bind::parse).toList())
                .withExtraHosts(spec.extraHosts().toArray(String[]::new))
                .withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new))
                .withSecurityOpts(List.of("no-new-privileges"))
                .withInit(true);
        if (!spec.publish().isEmpty()) {
            var bindings = new com.github.dockerjava.api.model.Ports();
            for (ContainerSpec.Published p : spec.publish()) {
                bindings.bind(com.github.dockerjava.api.model.ExposedPort.tcp(p.containerPort()),
                        com.github.dockerjava.api.model.Ports.Binding.bindIp(p.hostIp()));
            }
            host.withPortBindings(bindings);
        }
        spec.limits().ifPresent(limits -> {
            // memory and swap together equal to the memory: the container gets no swap to grow into
            host.withMemory(limits.memoryBytes()).withMemorySwap(limits.memoryBytes())
                    .withPidsLimit((long) limits.pids());
            limits.cpus().ifPresent(cpus -> host.withNanoCPUs(cpus.movePointRight(9)
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact()));
        });
        return host;
    }

    @Override
    public int cpus() {
        Integer cpus = client.infoCmd().exec().getNCPU();
        // an engine that does not say gets the smallest guest rather than one it may refuse
        return cpus == null || cpus < 1 ? 1 : cpus;
    }

    @Override
    public void connect(String network, String containerId, List<String> aliases) {
        client.connectToNetworkCmd().withNetworkId(network).withContainerId(containerId)
                .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
    }

    @Override
    public void start(String containerId) {
        client.startContainerCmd(containerId).exec();
    }

    @Override
    public void signal(String containerId, String signal) {
        client.killContainerCmd(containerId).withSignal(signal).exec();
    }

    @Override
    public void remove(String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            // removal already in progress
        }
    }

    @Override
    public String ipAddress(String containerId, String network) {
        // the network's view is a far smaller document than the container's: decoding it costs a fraction
        var containers = client.inspectNetworkCmd().withNetworkId(network).exec().getContainers();
        var n = containers == null ? null : containers.get(containerId);
        String address = n == null ? null : n.getIpv4Address();
        if (address == null || address.isEmpty()) {
            throw new BottleException("container " + containerId.substring(0, 12) + " has no address on " + network);
        }
        int prefix = address.indexOf('/');
        return prefix < 0 ? address : address.substring(0, prefix);
    }

    @Override
    public int waitForExit(String containerId, Duration timeout) {
        return client.waitContainerCmd(containerId).exec(new WaitContainerResultCallback())
                .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        List<String> lines = new ArrayList<>();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(tail)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            lines.add(new String(frame.getPayload(), StandardCharsets.UTF_8).stripTrailing());
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NotFoundException e) {
            // no container, no logs
        }
        return lines;
    }

    @Override
    public boolean followLogs(String containerId, Duration timeout, Predicate<String> done)
            throws InterruptedException {
        AtomicBoolean accepted = new AtomicBoolean();
        ResultCallback.Adapter<Frame> follow = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                    if (!accepted.get() && done.test(line.stripTrailing())) {
                        accepted.set(true);
                        closeQuietly(this);
                    }
                }
            }
        };
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true).exec(follow);
            follow.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotFoundException e) {
            // no container: its log has ended
        } catch (RuntimeException e) {
            if (!accepted.get()) {
                // the stream broke off (the container went while it was followed): the log has ended
                return false;
            }
        } finally {
            closeQuietly(follow);
        }
        return accepted.get();
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // a log stream that will not close is dropped with the connection
        }
    }

    @Override
    public int exec(String containerId, String user, List<String> argv, List<String> env, InputStream stdin,
                    OutputStream stdout, OutputStream stderr) {
        boolean input = stdin != null && ExecInputAttach.supports(config.getDockerHost(), config.getSSLConfig() != null);
        String id = client.execCreateCmd(containerId).withUser(user).withCmd(argv.toArray(String[]::new))
                .withEnv(env).withAttachStdin(input).withAttachStdout(true).withAttachStderr(true).exec().getId();
        if (input) {
            try {
                new ExecInputAttach(config.getDockerHost()).run(id, stdin, stdout, stderr);
            } catch (IOException e) {
                throw new BottleException("lost the connection to the engine while running " + argv.get(0)
                        + " in the guest: " + e.getMessage(), "check that the Docker engine still runs", e);
            }
            return exitCode(id);
        }
        try {
            client.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    try {
                        OutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
                        target.write(frame.getPayload());
                        target.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BottleException("interrupted while running " + argv.get(0) + " in the guest");
        }
        return exitCode(id);
    }

    @Override
    public int execTerminal(String containerId, String user, List<String> argv, InputStream in, OutputStream out,
                            int columns, int rows) {
        String id = client.execCreateCmd(containerId).withUser(user).withCmd(argv.toArray(String[]::new))
                .withTty(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true).exec().getId();
        var callback = client.execStartCmd(id).withTty(true).withStdIn(in).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                try {
                    out.write(frame.getPayload());
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            client.resizeExecCmd(id).withSize(rows, columns).exec();
        } catch (RuntimeException e) {
            // a terminal that cannot be resized still works at its default size
        }
        try {
            callback.awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode(id);
    }

    /** An ended exec's exit code; -1 when the engine has none. */
    private int exitCode(String execId) {
        Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
        return code == null ? -1 : code.intValue();
    }

    @Override
    public void copy(String containerId, InputStream tar) {
        client.copyArchiveToContainerCmd(containerId).withTarInputStream(tar).withRemotePath("/").exec();
    }

    @Override
    public List<String> containers(Map<String, String> labels) {
        return client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(c -> c.getId()).toList();
    }

    @Override
    public Optional<String> label(String containerId, String key) {
        try {
            var labels = client.inspectContainerCmd(containerId).exec().getConfig().getLabels();
            return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(key));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> networkLabel(String network, String key) {
        try {
            var labels = client.inspectNetworkCmd().withNetworkId(network).exec().getLabels();
            return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(key));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean running(String containerId) {
        try {
            return Boolean.TRUE.equals(client.inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public List<String> networks(Map<String, String> labels) {
        List<String> filter = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        var cmd = client.listNetworksCmd();
        if (!filter.isEmpty()) {
            cmd.withFilter("label", filter);
        }
        return cmd.exec().stream().map(n -> n.getName()).toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public int publishedPort(String containerId, int containerPort) {
        var ports = client.inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts().getBindings();
        var bindings = ports.get(com.github.dockerjava.api.model.ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0 || bindings[0].getHostPortSpec() == null) {
            throw new BottleException("container " + containerId.substring(0, 12) + " does not publish port "
                    + containerPort);
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    @Override
    public void tag(String image, String reference) {
        int colon = reference.lastIndexOf(':');
        if (colon <= reference.lastIndexOf('/')) {
            throw new IllegalArgumentException("reference " + reference + " has no tag");
        }
        client.tagImageCmd(image, reference.substring(0, colon), reference.substring(colon + 1)).exec();
    }

    /** How long one push may take. */
    private static final long PUSH_MINUTES = 10;

    @Override
    public void push(String reference, Consumer<String> progress) {
        try {
            if (!client.pushImageCmd(reference).exec(new ResultCallback.Adapter<com.github.dockerjava.api.model.PushResponseItem>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.PushResponseItem item) {
                    if (item.getErrorDetail() != null) {
                        throw new BottleException("pushing " + reference + " failed: "
                                + item.getErrorDetail().getMessage());
                    }
                    if (item.getStatus() != null) {
                        progress.accept(item.getStatus() + (item.getId() != null ? " " + item.getId() : ""));
                    }
                    if (item.getAux() != null && item.getAux().getDigest() != null) {
                        progress.accept("digest: " + item.getAux().getDigest());
                    }
                }
            }).awaitCompletion(PUSH_MINUTES, TimeUnit.MINUTES)) {
                throw new BottleException("pushing " + reference + " did not end within " + PUSH_MINUTES + " minutes",
                        "push it again, or with 'docker push " + reference + "'");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BottleException("pushing " + reference + " was interrupted");
        } catch (DockerClientException e) {
            throw new BottleException("pushing " + reference + " failed: " + e.getMessage());
        }
    }

    @Override
    public void removeImage(String reference) {
        try {
            client.removeImageCmd(reference).withNoPrune(false).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing a client that never connected has nothing to release
        }
    }
}
