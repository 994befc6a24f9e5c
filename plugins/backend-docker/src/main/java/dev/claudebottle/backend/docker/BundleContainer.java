package dev.claudebottle.backend.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.LaunchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The sidecar bundle of one launch as a container: its spec (daemons chosen by env, mounts), its
 * secret values put into its own file system before it starts ({@link BoundValues}: its container
 * env, which {@code docker inspect} shows, holds none), and the wait until every daemon listens.
 * Shared by the backends that run the bundle on Docker.
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
    private static final Duration BIND = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LaunchRequest request;
    private final String image;

    /** The bundle for {@code request}, from {@code image}. */
    public BundleContainer(LaunchRequest request, String image) {
        this.request = request;
        this.image = image;
    }

    /** The container to create, named {@code name}, on {@code network}, with {@code publish}ed ports. */
    public ContainerSpec spec(String name, String network, List<ContainerSpec.Published> publish) {
        return spec(name, network, publish, List.of());
    }

    /** The same, with further plain env entries ({@code NAME=value}) the backend sets. */
    public ContainerSpec spec(String name, String network, List<ContainerSpec.Published> publish,
                              List<String> backendEnv) {
        List<String> env = new ArrayList<>(backendEnv);
        for (BundleEnv b : request.bundleEnv()) {
            b.value().ifPresent(value -> env.add(b.name() + "=" + value));
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
     * Creates the container of {@link #spec} and puts the launch's secret values into it before it
     * starts; a container that cannot be given them is removed again.
     */
    public String create(DockerEngine engine, ContainerSpec spec) {
        String id = engine.createContainer(spec);
        try {
            bind(engine, id, bound());
        } catch (RuntimeException e) {
            engine.remove(id);
            throw e;
        }
        return id;
    }

    /** The launch's secret bundle env entries; a value withheld (a warm bottle's, until it is claimed) is left out. */
    public BoundValues bound() {
        return bound(request.bundleEnv());
    }

    private static BoundValues bound(List<BundleEnv> entries) {
        Map<String, Secret> values = new LinkedHashMap<>();
        entries.forEach(b -> b.secret().filter(v -> !v.isEmpty()).ifPresent(v -> values.put(b.name(), v)));
        return new BoundValues(values);
    }

    /**
     * Gives running bundle {@code id} the secret values among {@code entries} (a claimed warm
     * bottle's) and waits until its gateway says it loaded its policy with every route bound, with
     * these values: the line must be the gateway's own, whole, and name their generation, which no
     * line written before could.
     */
    public static void rebind(DockerEngine engine, String id, List<BundleEnv> entries) throws InterruptedException {
        BoundValues values = bound(entries);
        if (values.values().isEmpty()) {
            return;
        }
        bind(engine, id, values);
        engine.signal(id, "HUP");
        Pattern loaded = Pattern.compile("\\S+ " + BundleLayout.GATEWAY + ": policy loaded: [^\\n]*, every route "
                + "bound \\(values " + values.generation() + "\\)");
        // the gateway's own whole line saying it could not load them ends the wait at once (forged, it would
        // only send the launch to a bottle of its own)
        Pattern failed = Pattern.compile("\\S+ " + BundleLayout.GATEWAY + ": error: policy \\S+ not loaded, .*");
        AtomicBoolean refused = new AtomicBoolean();
        if (!engine.followLogs(id, BIND, line -> loaded.matcher(line).matches()
                || failed.matcher(line).matches() && refused.compareAndSet(false, true)) || refused.get()) {
            throw new BottleException("the bundle did not take the values it was given (waited up to "
                    + BIND.toSeconds() + " s); its last log lines:\n  " + String.join("\n  ", engine.logs(id, 10)),
                    "bottle warm drain, then start the bottle again");
        }
    }

    /**
     * Puts {@code values} into bundle {@code id} (created or running), readable by its root only;
     * the gateway reads them at its start and at each policy load after.
     */
    public static void bind(DockerEngine engine, String id, BoundValues values) {
        byte[] tar;
        try {
            tar = new GuestArchive("/root").file(BundleLayout.BOUND_VALUES, JSON.writeValueAsBytes(values.toJson()),
                    dev.claudebottle.spi.Guest.ROOT, 0400);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        engine.copy(id, new java.io.ByteArrayInputStream(tar));
    }

    /**
     * Waits until every daemon said it listens, following the bundle's log as it is written; when
     * the bundle reports a failure or stops first, shows its last log lines.
     */
    public void awaitReady(DockerEngine engine, String id) throws InterruptedException {
        Set<String> waiting = new HashSet<>();
        request.daemons().forEach(d -> waiting.add(d.name()));
        // with values given, the gateway says it bound every route: a value it could not read fails the launch
        String bound = " " + BundleLayout.GATEWAY + ": policy loaded: ";
        boolean values = waiting.contains(BundleLayout.GATEWAY) && !bound().values().isEmpty();
        if (values) {
            waiting.add(bound);
        }
        AtomicBoolean failed = new AtomicBoolean();
        boolean decided = waiting.isEmpty() || engine.followLogs(id, READY, line -> {
            if (line.contains("claude-bottle bundle:") || line.contains("Exception in thread")
                    || values && line.contains(bound) && !line.contains("every route bound")) {
                failed.set(true);
                return true;
            }
            waiting.removeIf(daemon -> line.contains(" " + daemon + ": listening on"));
            waiting.removeIf(b -> b.equals(bound) && line.contains(bound) && line.contains("every route bound"));
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
