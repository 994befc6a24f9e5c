package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.EnvironmentException;

/**
 * The engine refused to cap a container's CPU: its cgroups have no {@code cpu} controller (rootless
 * Docker under a systemd older than 252 does not delegate it). Nothing was created.
 */
public final class CpuCapRefused extends EnvironmentException {
    private static final long serialVersionUID = 1L;

    /** The engine's refusal, {@code reason}. */
    public CpuCapRefused(String reason, Throwable cause) {
        super("the Docker engine cannot cap a container's CPU: " + reason,
                "give the engine the cpu cgroup controller (rootless Docker: systemd 252 or later delegates it)", cause);
    }
}
