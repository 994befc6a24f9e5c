package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.ImageBuildRequest;
import java.nio.file.Path;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import jakarta.inject.Inject;
import dev.claudebottle.spi.LaunchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * Bottles as Docker containers: a per-bottle internal network, the sidecar bundle on it and on
 * the egress network, and the guest on the internal network only.
 */
@Extension
public final class DockerBackend implements Backend {
    private final Supplier<DockerEngine> engines;
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
        this.engines = engines;
        this.paths = paths;
        this.events = events;
    }

    @Override
    public String name() {
        return "docker";
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
                            + " forwards DNS from internal networks (CVE-2024-29018, fixed in 25.0.5)",
                            "upgrade Docker to 25.0.5 or later")),
                    () -> checks.add(Check.warn("internal networks without DNS", "cannot parse engine version '"
                            + info.version() + "'", "make sure the engine is 25.0.5 or later")));
        } catch (EnvironmentException e) {
            checks.add(Check.fail("docker engine", e.getMessage(), e.hint().orElse("start the Docker engine")));
        } catch (RuntimeException e) {
            checks.add(Check.fail("docker engine", "cannot create a Docker client: " + e.getMessage(),
                    "check DOCKER_HOST and the Docker socket's permissions"));
        }
        return checks;
    }

    @Override
    public BackendLaunch prepare(LaunchRequest request) {
        return new DockerLaunch(request, engines, paths.distribution().map(d -> d.resolve("images")), env, events);
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
