package dev.claudebottle.bundle.gateway;

import dev.claudebottle.contract.BundleLayout;
import java.time.Duration;
import java.util.Objects;

/**
 * The gateway's limits and where it listens.
 *
 * @param bindHost       the address to listen on
 * @param port           the port to listen on (0 picks a free one)
 * @param slug           the bottle's slug, for the audit log
 * @param maxConnections guest connections served at once; more get 503
 * @param maxHeaderBytes largest request header block; more gets 431
 * @param maxBodyBytes   largest request body the gateway scans; more gets 413
 * @param idleTimeout    a connection or tunnel idle this long is closed
 * @param tunnelLifetime a tunnel open this long is closed
 * @param connectTimeout how long to wait for an upstream to accept
 * @param workerThreads  the event loops serving connections; 0 for Netty's default (twice the processors)
 */
public record GatewayConfig(String bindHost, int port, String slug, int maxConnections, int maxHeaderBytes,
                            int maxBodyBytes, Duration idleTimeout, Duration tunnelLifetime, Duration connectTimeout,
                            int workerThreads) {
    /** Requires sane limits. */
    public GatewayConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(tunnelLifetime, "tunnelLifetime");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (maxConnections < 1 || maxHeaderBytes < 1024 || maxBodyBytes < 1024 || workerThreads < 0) {
            throw new IllegalArgumentException("gateway limits are too small");
        }
    }

    /** A config served on Netty's default number of event loops. */
    public GatewayConfig(String bindHost, int port, String slug, int maxConnections, int maxHeaderBytes,
                         int maxBodyBytes, Duration idleTimeout, Duration tunnelLifetime, Duration connectTimeout) {
        this(bindHost, port, slug, maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout, tunnelLifetime,
                connectTimeout, 0);
    }

    /** The defaults for a bottle: the gateway's port on every interface. */
    public static GatewayConfig defaults(String slug) {
        return new GatewayConfig("0.0.0.0", BundleLayout.GATEWAY_PORT, slug, 2048, 32 * 1024, 32 * 1024 * 1024, Duration.ofMinutes(5),
                Duration.ofHours(6), Duration.ofSeconds(10));
    }

    /** The same config on another address and port. */
    public GatewayConfig listening(String host, int listenPort) {
        return new GatewayConfig(host, listenPort, slug, maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout,
                tunnelLifetime, connectTimeout, workerThreads);
    }

    /** The same config served on {@code threads} event loops. */
    public GatewayConfig withWorkers(int threads) {
        return new GatewayConfig(bindHost, port, slug, maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout,
                tunnelLifetime, connectTimeout, threads);
    }
}
