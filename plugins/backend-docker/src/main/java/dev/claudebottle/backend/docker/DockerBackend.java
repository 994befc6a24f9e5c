package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.ImageBuildRequest;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Step;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * Bottles as Docker containers: a per-bottle internal network, the sidecar bundle on it and on
 * the egress network, and the guest on the internal network only.
 */
@Extension
public final class DockerBackend implements Backend {
    private final SharedEngine engines;
    private final BottlePaths paths;
    private final EventSink events;
    private final HostEnvironment env;

    /** The backend on the engine {@code DOCKER_HOST} in the host env points at. */
    @Inject
    public DockerBackend(HostEnvironment env, BottlePaths paths, EventSink events) {
        this(() -> new DockerJavaEngine(env), paths, events, env);
    }

    DockerBackend(Supplier<DockerEngine> engines, BottlePaths paths, EventSink events, HostEnvironment env) {
        this.env = env;
        this.engines = new SharedEngine(engines);
        this.paths = paths;
        this.events = events;
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void close() {
        engines.close();
    }

    @Override
    public String description() {
        return "Docker containers on an internal network, reached only through the sidecar bundle";
    }

    @Override
    public List<Check> doctor() {
        List<Check> checks = new ArrayList<>();
        try (DockerEngine engine = engines.get()) {
            EngineInfo info = engine.info();
            checks.add(Check.ok("docker engine", info.version() + " (API " + info.apiVersion() + ") on "
                    + info.operatingSystem()));
            EngineVersion.recentEnough(info.version()).ifPresentOrElse(ok -> checks.add(ok
                    ? Check.ok("internal networks without DNS", "engine " + info.version() + " >= 25.0.5")
                    : Check.warn("internal networks without DNS", "engine " + info.version()
                            + " forwards DNS from internal networks (CVE-2024-29018, fixed in 25.0.5); bottles "
                            + "block the guest's resolver themselves",
                            "upgrade Docker to 25.0.5 or later")),
                    () -> checks.add(Check.warn("internal networks without DNS", "cannot parse engine version '"
                            + info.version() + "'", "make sure the engine is 25.0.5 or later")));
            paths.distribution().map(d -> d.resolve("images")).ifPresent(images -> checks.addAll(imageChecks(engine,
                    images)));
        } catch (EnvironmentException e) {
            checks.add(Check.fail("docker engine", e.getMessage(), e.hint().orElse("start the Docker engine")));
        } catch (RuntimeException e) {
            checks.add(Check.fail("docker engine", "cannot create a Docker client: " + e.getMessage(),
                    "check DOCKER_HOST and the Docker socket's permissions"));
        }
        return checks;
    }

    /** Whether the base image and the images for the current content exist; missing ones are built at start. */
    private List<Check> imageChecks(DockerEngine engine, Path images) {
        List<Check> checks = new ArrayList<>();
        if (engine.imageId(ImageBuilder.DEFAULT_BASE).isEmpty()) {
            checks.add(Check.fail("base image", ImageBuilder.DEFAULT_BASE + " is not in the engine",
                    "run scripts/seed-base-image.sh (or docker pull " + ImageBuilder.DEFAULT_BASE + ")"));
            return checks;
        }
        checks.add(Check.ok("base image", ImageBuilder.DEFAULT_BASE));
        ImageBuilder builder = new ImageBuilder(engine, images, events);
        for (String role : List.of("agent", "bundle")) {
            String tag = builder.tag(role, ImageBuilder.DEFAULT_BASE, ImageBuilder.hostExtraCas());
            checks.add(engine.imageId(tag).isPresent() ? Check.ok(role + " image", tag)
                    : Check.warn(role + " image", tag + " is not built yet",
                            "bottle image build (or the first bottle start builds it)"));
        }
        return checks;
    }

    @Override
    public List<Step> launchSteps(LaunchRequest request) {
        return new DockerLaunch(request, engines, paths.distribution().map(d -> d.resolve("images")), env, events)
                .steps();
    }

    @Override
    public List<String> bottles() {
        try (DockerEngine engine = engines.get()) {
            java.util.Set<String> slugs = new java.util.TreeSet<>();
            for (String id : engine.containers(Map.of())) {
                engine.label(id, Labels.SLUG).ifPresent(slugs::add);
            }
            for (String network : engine.networks(Map.of())) {
                if (network.startsWith("claude-bottle-") && !network.equals(egressNetwork())) {
                    engine.networkLabel(network, Labels.SLUG).ifPresent(slugs::add);
                }
            }
            return List.copyOf(slugs);
        }
    }

    @Override
    public Optional<java.nio.file.Path> home(String slug) {
        try (DockerEngine engine = engines.get()) {
            return homeLabel(engine, slug);
        }
    }

    /** The home label of a bottle's containers, else of its networks. */
    public static Optional<java.nio.file.Path> homeLabel(DockerEngine engine, String slug) {
        for (String id : engine.containers(Map.of(Labels.SLUG, slug))) {
            Optional<String> home = engine.label(id, Labels.HOME);
            if (home.isPresent()) {
                return home.map(java.nio.file.Path::of);
            }
        }
        for (String network : engine.networks(Map.of(Labels.SLUG, slug))) {
            Optional<String> home = engine.networkLabel(network, Labels.HOME);
            if (home.isPresent()) {
                return home.map(java.nio.file.Path::of);
            }
        }
        return Optional.empty();
    }

    @Override
    public void remove(String slug) {
        try (DockerEngine engine = engines.get()) {
            LabelSweep.containersAndNetworks(engine, slug);
        }
    }

    @Override
    public void bind(String slug, List<BundleEnv> secrets) {
        try (DockerEngine engine = engines.get()) {
            // this home's bundle of that name only: values never go to a bottle another home launched
            String id = engine.containers(Labels.of(slug, "bundle", paths.home())).stream().findFirst()
                    .orElseThrow(() -> new EnvironmentException("bottle " + slug + " of this state home has no bundle",
                            "bottle gc removes what is left of it"));
            BundleContainer.rebind(engine, id, secrets);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BottleException("interrupted while bottle " + slug + " was given its values", "start it again");
        }
    }

    @Override
    public Optional<Guest> guest(String slug, String guestHome) {
        DockerEngine engine = engines.get();
        List<String> ids = engine.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "guest"));
        if (ids.isEmpty() || !engine.running(ids.get(0))) {
            engine.close();
            return Optional.empty();
        }
        return Optional.of(new DockerGuest(engine, ids.get(0), guestHome));
    }

    @Override
    public List<String> bundleLogs(String slug, int tail) {
        try (DockerEngine engine = engines.get()) {
            return new BundleLogs(engine, slug).tail(tail);
        }
    }

    @Override
    public void followBundleLogs(String slug, Consumer<String> line) throws InterruptedException {
        try (DockerEngine engine = engines.get()) {
            new BundleLogs(engine, slug).follow(line);
        }
    }

    private String egressNetwork() {
        return EgressNetwork.name(env);
    }

    @Override
    public List<BuiltImage> buildImages(ImageBuildRequest request) {
        Path images = paths.distribution().map(d -> d.resolve("images")).orElseThrow(() ->
                new EnvironmentException("the distribution's images folder is unknown",
                        "run bottle from its distribution (cli/target/bottle/bin/bottle or ./bottle)"));
        try (DockerEngine engine = engines.get()) {
            engine.info();
            return new ImageBuilder(engine, images, events).build(request);
        }
    }
}
