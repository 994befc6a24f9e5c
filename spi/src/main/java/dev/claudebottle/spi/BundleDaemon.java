package dev.claudebottle.spi;

import java.util.Objects;

/**
 * A daemon of the sidecar bundle to enable for this bottle.
 *
 * @param name the daemon's name as the bundle knows it ({@code gateway}, {@code git-gate}, {@code supervise})
 * @param port the bundle-internal TCP port it listens on
 */
public record BundleDaemon(String name, int port) {
    /** Validates the name and port. */
    public BundleDaemon {
        Objects.requireNonNull(name, "name");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }
}
