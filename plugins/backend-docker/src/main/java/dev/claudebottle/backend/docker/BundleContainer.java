package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.LaunchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sidecar bundle of one launch as a container: its spec (daemons chosen by env, secrets in
 * its env only, mounts) and the wait until every daemon listens. Shared by the backends that run
 * the bundle on Docker.
 */
public final class BundleContainer {
    /**
     * The bundle serves the guest's traffic, so the guest's flood lands here too: 2 GiB holds the JVM's
     * default heap (a quarter of it) and as much again off the heap for connections, and 1024
     * processes and threads hold its daemons' pools; neither grows with what the guest sends. Its
     * CPU is left uncapped: it only ever works for the guest's own requests.
     */
    public static final ContainerSpec.Limits LIMITS = new ContainerSpec.Limits(2L << 30, 1024, Optional.empty());
    private static final Duration READY = Duration.ofSeconds(60);
    private final LaunchRequest request;
    private final String image;

    /** The bundle for {@code request}, from {@code image}. */
    public BundleContainer(LaunchRequest request, String image) {
        this.request = request;
        this.image = image;
    }

    /**
     * The container to create, named {@code name}, on {@code network}, with {@code publish}ed ports.
     * The spec holds secret values: it never prints them.
     */
    public ContainerSpec spec(String name, String network, List<ContainerSpec.Published> publish) {
        return spec(name, network, publish, List.of());
    }

    /** The same, with further plain env entries ({@code NAME=value}) the backend sets. */
    public ContainerSpec spec(String name, String network, List<ContainerSpec.Published> publish,
                              List<String> backendEnv) {
        List<String> env = new ArrayList<>(backendEnv);
        for (BundleEnv b : request.bundleEnv()) {
            env.add(b.name() + "=" + b.value().orElseGet(() -> b.secret().orElseThrow().reveal()));
        }
        List<String> binds = new ArrayList<>();
        for (BundleMount m : request.bundleMounts()) {
            binds.add(m.hostPath() + ":" + m.bundlePath() + (m.readOnly() ? ":ro" : ""));
        }
        return new ContainerSpec(name, image, env, Labels.of(request.spec(), "bundle"), network,
                List.of("bundle"), binds, Optional.empty(), List.of(), List.of(), List.of(), List.of(), publish,
                Optional.empty()).withLimits(LIMITS);
    }

    /**
     * Waits until every daemon said it listens, following the bundle's log as it is written; when
     * the bundle reports a failure or stops first, shows its last log lines.
     */
    public void awaitReady(DockerEngine engine, String id) throws InterruptedException {
        Set<String> waiting = new HashSet<>();
        request.daemons().forEach(d -> waiting.add(d.name()));
        AtomicBoolean failed = new AtomicBoolean();
        boolean decided = waiting.isEmpty() || engine.followLogs(id, READY, line -> {
            if (line.contains("claude-bottle bundle:") || line.contains("Exception in thread")) {
                failed.set(true);
                return true;
            }
            waiting.removeIf(daemon -> line.contains(" " + daemon + ": listening on"));
            return waiting.isEmpty();
        });
        if (decided && !failed.get()) {
            return;
        }
        // the bundle failed, stopped (the bottle may be torn down around this wait) or took too long
        List<String> last = engine.logs(id, 20);
        throw new BottleException("the bundle for bottle " + request.spec().slug() + " did not become ready; its "
                + "last log lines:\n  " + String.join("\n  ", last),
                "run 'bottle image build --force' if the bundle image is stale");
    }
}
