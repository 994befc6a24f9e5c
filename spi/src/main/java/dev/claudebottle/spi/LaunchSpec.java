package dev.claudebottle.spi;

import dev.claudebottle.spi.manifest.AgentDef;
import dev.claudebottle.spi.manifest.BottleDef;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is being launched, as every plugin sees it.
 *
 * @param slug        the bottle's unique name, e.g. {@code coder-3f2a}
 * @param agent       the agent definition from the manifest
 * @param bottle      the bottle definition the agent uses
 * @param manifestDir the folder relative paths of the manifest are resolved against
 * @param stateDir    the bottle's host state dir (CA, queue), created by the kernel
 * @param cwd         the host working directory given with {@code --cwd}, if any
 * @param backend     the selected backend's name
 * @param guestHome   the agent's home in the guest, e.g. {@code /home/node}
 * @param insecureEgress whether the user accepted, with {@code --insecure-egress}, a backend whose
 *                    egress allowlist the guest can bypass (smolvm before 1.8.0)
 * @param routes      the bottle's credential routes that apply, their values resolved from the host
 *                    env (optional routes whose variables are not set are left out)
 */
public record LaunchSpec(String slug, AgentDef agent, BottleDef bottle, Path manifestDir, Path stateDir,
                         Optional<Path> cwd, String backend, String guestHome, boolean insecureEgress,
                         List<CredentialRoute> routes) {
    /** Requires every part. */
    public LaunchSpec {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(manifestDir, "manifestDir");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(guestHome, "guestHome");
        routes = List.copyOf(routes);
    }

    /**
     * Where the bottle's record is kept, outside the state dir so that stop and gc leave it:
     * {@code records/<slug>} beside the {@code bottles} folder the state dir is in, as
     * {@link BottlePaths#recordDir} lays it out.
     */
    public Path recordDir() {
        return stateDir.toAbsolutePath().getParent().resolveSibling("records").resolve(slug);
    }
}
