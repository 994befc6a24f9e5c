package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.LaunchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sidecar bundle of one launch as a container: its spec (daemons chosen by env, secrets in
 * its env only, mounts) and the wait until every daemon listens. Shared by the backends that run
 * the bundle on Docker.
 */
public final class BundleContainer {
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
        List<String> env = new ArrayList<>();
        for (BundleEnv b : request.bundleEnv()) {
            env.add(b.name() + "=" + b.value().orElseGet(() -> b.secret().orElseThrow().reveal()));
        }
        List<String> binds = new ArrayList<>();
        for (BundleMount m : request.bundleMounts()) {
            binds.add(m.hostPath() + ":" + m.bundlePath() + (m.readOnly() ? ":ro" : ""));
        }
        return new ContainerSpec(name, image, env, Labels.of(request.spec().slug(), "bundle"), network,
                List.of("bundle"), binds, Optional.empty(), List.of(), List.of(), List.of(), List.of(), publish,
                Optional.empty());
    }

    /** Waits until every daemon said it listens, or the container died; shows its last log lines if not. */
    public void awaitReady(DockerEngine engine, String id) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = engine.logs(id, 200);
            boolean ready = request.daemons().stream().allMatch(d -> lines.stream()
                    .anyMatch(l -> l.contains(" " + d.name() + ": listening on")));
            if (ready) {
                return;
            }
            if (lines.stream().anyMatch(l -> l.contains("claude-bottle bundle:") || l.contains("Exception in thread"))
                    || !engine.running(id)) {
                // the bundle failed, or the bottle is being torn down around this wait
                break;
            }
            Thread.sleep(50);
        }
        List<String> last = engine.logs(id, 20);
        throw new BottleException("the bundle for bottle " + request.spec().slug() + " did not become ready; its "
                + "last log lines:\n  " + String.join("\n  ", last),
                "run 'bottle image build --force' if the bundle image is stale");
    }
}
