package dev.claudebottle.backend.smolmachines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.backend.docker.BundleLogs;
import dev.claudebottle.backend.docker.DockerEngine;
import dev.claudebottle.backend.docker.DockerJavaEngine;
import dev.claudebottle.backend.docker.LabelSweep;
import dev.claudebottle.backend.docker.SharedEngine;
import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BottlePaths;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.EventSink;
import dev.claudebottle.spi.Guest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.ImageBuildRequest;
import dev.claudebottle.spi.LaunchRequest;
import dev.claudebottle.spi.Step;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.pf4j.Extension;

/**
 * Bottles as smolvm microVMs: the guest is a VM created from a packed agent image and allowed to
 * reach only the bundle's ports on a per-bottle loopback address; the bundle runs on Docker.
 */
@Extension
public final class SmolmachinesBackend implements Backend {
    private static final String PREFIX = "claude-bottle-";
    private final HostEnvironment env;
    private final BottlePaths paths;
    private final EventSink events;
    private final SharedEngine engines;

    /** Created by the kernel's injector. */
    @Inject
    public SmolmachinesBackend(HostEnvironment env, BottlePaths paths, EventSink events) {
        this.env = env;
        this.paths = paths;
        this.events = events;
        this.engines = new SharedEngine(() -> new DockerJavaEngine(env));
    }

    @Override
    public String name() {
        return "smolmachines";
    }

    @Override
    public void close() {
        engines.close();
    }

    @Override
    public String description() {
        return "smolvm microVMs reaching only the bundle's ports on a per-bottle loopback address";
    }

    @Override
    public List<Check> doctor() {
        List<Check> checks = new ArrayList<>();
        checks.add(smolvmCheck());
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            Path kvm = Path.of("/dev/kvm");
            if (!Files.exists(kvm)) {
                checks.add(Check.fail("/dev/kvm", "missing", "enable KVM (nested virtualisation on a VM host)"));
            } else if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
                checks.add(Check.fail("/dev/kvm", "not readable and writable by this user",
                        "add the user to the kvm group"));
            } else {
                checks.add(Check.ok("/dev/kvm", "present and usable"));
            }
        }
        try (DockerEngine engine = engines.get()) {
            var info = engine.info();
            checks.add(Check.ok("docker engine (for the bundle)", info.version() + " on " + info.operatingSystem()));
        } catch (EnvironmentException e) {
            checks.add(Check.fail("docker engine (for the bundle)", e.getMessage(),
                    e.hint().orElse("start the Docker engine")));
        } catch (RuntimeException e) {
            checks.add(Check.fail("docker engine (for the bundle)", "cannot create a Docker client: " + e.getMessage(),
                    "check DOCKER_HOST and the Docker socket's permissions"));
        }
        return checks;
    }

    private Check smolvmCheck() {
        try {
            SmolvmInstall install = SmolvmInstall.detect(env);
            if (!install.version().atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)) {
                return Check.warn("smolvm", install.version() + " at " + install.executable()
                        + " ignores the egress allowlist of packed machines",
                        "upgrade to 1.8.0 or later; launches on this version need --insecure-egress");
            }
            return Check.ok("smolvm", install.version() + " at " + install.executable());
        } catch (EnvironmentException e) {
            return Check.fail("smolvm", e.getMessage(), e.hint().orElse("install smolvm"));
        }
    }

    @Override
    public List<Step> launchSteps(LaunchRequest request) {
        return new SmolmachinesLaunch(request, Loopback.forBottle(request.spec().slug(),
                System.getProperty("os.name", "")), engines, paths, env, events).steps();
    }

    @Override
    public List<BuiltImage> buildImages(ImageBuildRequest request) {
        // The images are Docker images either way; packing them into .smolmachine artifacts happens at launch.
        throw new EnvironmentException("the smolmachines backend builds no images of its own",
                "run 'bottle image build --backend docker'; the first smolmachines launch packs the agent image");
    }

    /** Bottles with a machine; leftovers on Docker alone are the Docker backend's to list. */
    @Override
    public List<String> bottles() {
        if (SmolvmInstall.locate(env).isEmpty()) {
            return List.of();
        }
        return machines(SmolvmInstall.detect(env));
    }

    private List<String> machines(SmolvmInstall install) {
        String listing = new Smolvm(env).check(install.commands().list(), "listing machines");
        TreeSet<String> slugs = new TreeSet<>();
        try {
            for (JsonNode machine : new ObjectMapper().readTree(listing)) {
                String name = machine.path("name").asText("");
                if (name.startsWith(PREFIX)) {
                    slugs.add(name.substring(PREFIX.length()));
                }
            }
        } catch (IOException e) {
            throw new EnvironmentException("smolvm machine ls --json printed no JSON array: " + e.getMessage(),
                    "check the smolvm version with 'bottle doctor --backend smolmachines'");
        }
        return List.copyOf(slugs);
    }

    @Override
    public java.util.Optional<java.nio.file.Path> home(String slug) {
        try (DockerEngine engine = engines.get()) {
            return dev.claudebottle.backend.docker.DockerBackend.homeLabel(engine, slug);
        }
    }

    @Override
    public void remove(String slug) {
        if (SmolvmInstall.locate(env).isPresent()) {
            SmolvmInstall install = SmolvmInstall.detect(env);
            Smolvm smolvm = new Smolvm(env);
            String machine = SmolmachinesLaunch.machineName(slug);
            smolvm.capture(install.commands().stop(machine));
            smolvm.capture(install.commands().delete(machine));
        }
        // no network carries the bottle's label: its bundle is on the shared egress network only
        try (DockerEngine engine = engines.get()) {
            LabelSweep.containers(engine, slug);
        }
    }

    @Override
    public Optional<Guest> guest(String slug, String guestHome) {
        Optional<Map<String, String>> guestEnv = new GuestEnvFile(paths.bottleDir(slug)).read();
        if (guestEnv.isEmpty() || SmolvmInstall.locate(env).isEmpty()) {
            return Optional.empty();
        }
        SmolvmInstall install = SmolvmInstall.detect(env);
        if (!machines(install).contains(slug)) {
            return Optional.empty();
        }
        return Optional.of(new SmolvmGuest(new Smolvm(env), install.commands(), SmolmachinesLaunch.machineName(slug),
                guestEnv.get(), guestHome));
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
}
