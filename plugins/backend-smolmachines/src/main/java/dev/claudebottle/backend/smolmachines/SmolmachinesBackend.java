package dev.claudebottle.backend.smolmachines;

import dev.claudebottle.spi.Backend;
import dev.claudebottle.spi.BackendLaunch;
import dev.claudebottle.spi.BuiltImage;
import dev.claudebottle.spi.Check;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.ImageBuildRequest;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchRequest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * Bottles as smolvm microVMs: the guest is a VM created from a packed agent image and allowed to
 * reach only the bundle's ports on a per-bottle loopback address; the bundle runs on Docker.
 */
@Extension
public final class SmolmachinesBackend implements Backend {
    private final HostEnvironment env;

    /** Created by the kernel's injector. */
    @Inject
    public SmolmachinesBackend(HostEnvironment env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "smolmachines";
    }

    @Override
    public String description() {
        return "smolvm microVMs reaching only the bundle's ports on a per-bottle loopback address";
    }

    @Override
    public List<Check> doctor() {
        List<Check> checks = new ArrayList<>();
        Optional<Path> smolvm = onPath("smolvm");
        if (smolvm.isEmpty()) {
            checks.add(Check.fail("smolvm", "not found on PATH", "install smolvm from smol-machines/smolvm"));
        } else {
            Optional<String> printed = versionOutput(smolvm.get());
            Optional<SmolvmVersion> version = printed.flatMap(SmolvmVersion::parse);
            if (version.isEmpty()) {
                checks.add(Check.fail("smolvm", smolvm.get() + " --version printed "
                        + printed.map(s -> "'" + s.strip() + "'").orElse("nothing"), "reinstall smolvm"));
            } else if (!version.get().atLeast(SmolvmVersion.FROM_KEEPS_EGRESS)) {
                checks.add(Check.warn("smolvm", version.get() + " at " + smolvm.get()
                        + " ignores the egress allowlist of packed machines",
                        "upgrade to 1.8.0 or later; launches on this version need --insecure-egress"));
            } else {
                checks.add(Check.ok("smolvm", version.get() + " at " + smolvm.get()));
            }
        }
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
        return checks;
    }

    @Override
    public BackendLaunch prepare(LaunchRequest request) {
        return new SmolmachinesLaunch(request, LoopbackAddress.forSlug(request.spec().slug()));
    }

    @Override
    public List<BuiltImage> buildImages(ImageBuildRequest request) {
        // The images are Docker images either way; packing them into .smolmachine artifacts happens at launch.
        throw new EnvironmentException("the smolmachines backend builds no images of its own",
                "run 'bottle image build --backend docker'");
    }

    // This build cannot launch smolvm bottles, so none exist to list, remove, enter or read.
    @Override
    public List<String> bottles() {
        return List.of();
    }

    @Override
    public void remove(String slug) {
        // nothing of this backend exists to remove
    }

    @Override
    public Optional<dev.claudebottle.spi.Guest> guest(String slug, String guestHome) {
        return Optional.empty();
    }

    @Override
    public List<String> bundleLogs(String slug, int tail) {
        return List.of();
    }

    private Optional<Path> onPath(String command) {
        for (String dir : env.get("PATH").orElse("").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> versionOutput(Path smolvm) {
        try {
            Process p = new ProcessBuilder(smolvm.toString(), "--version").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
