package dev.claudebottle.spi;

import java.util.Objects;

/**
 * Where the guest reaches a bundle port, as resolved by the backend: the bundle's IP on the
 * bottle network for Docker, a per-bottle loopback address and a random port for smolvm.
 *
 * @param host an IP literal or a name the guest's /etc/hosts knows
 * @param port the TCP port
 */
public record Endpoint(String host, int port) {
    /** Validates the port range. */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /** {@code host:port}. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
