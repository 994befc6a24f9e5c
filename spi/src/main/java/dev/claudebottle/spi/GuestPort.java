package dev.claudebottle.spi;

import java.util.Objects;

/**
 * A bundle port the guest must reach. The backend decides how and resolves it into an
 * {@link Endpoint} once the bundle runs.
 *
 * @param name the name env templates refer to, e.g. {@code git-gate}
 * @param port the bundle-internal port
 */
public record GuestPort(String name, int port) {
    /** Validates the port range. */
    public GuestPort {
        Objects.requireNonNull(name, "name");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }
}
