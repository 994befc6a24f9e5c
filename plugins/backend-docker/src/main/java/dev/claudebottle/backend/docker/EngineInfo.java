package dev.claudebottle.backend.docker;

import java.util.Objects;

/**
 * What the Docker engine says about itself.
 *
 * @param version         the engine version, e.g. {@code 28.2.2}
 * @param apiVersion      the API version
 * @param operatingSystem e.g. {@code Debian GNU/Linux 12} or {@code Docker Desktop}
 */
public record EngineInfo(String version, String apiVersion, String operatingSystem) {
    /** Requires every part. */
    public EngineInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
    }

    /** Whether this is Docker Desktop, whose bridge IPs the host cannot reach. */
    public boolean desktop() {
        return operatingSystem.contains("Docker Desktop");
    }
}
