package dev.claudebottle.kernel.plan;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user asked to plan or start.
 *
 * @param agent    the agent's name
 * @param manifest the {@code -f} file, if given
 * @param backend  the {@code --backend} name, if given
 * @param cwd      the host directory given with {@code --cwd}, if any
 * @param insecureEgress whether {@code --insecure-egress} was given
 * @param learn    whether {@code --learn} was given: hosts no rule covers pass, to learn a policy from
 */
public record PlanRequest(String agent, Optional<Path> manifest, Optional<String> backend, Optional<Path> cwd,
                          boolean insecureEgress, boolean learn) {
    /** Requires every part. */
    public PlanRequest {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(cwd, "cwd");
    }
}
