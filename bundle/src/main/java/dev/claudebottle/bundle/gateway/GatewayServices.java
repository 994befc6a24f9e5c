package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.spend.Metering;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What every connection handler shares.
 *
 * @param config     limits and identity
 * @param policy     the policy in force
 * @param loadingLeaves leaf certificates for interception, loaded while the gateway binds
 * @param loadingUpstreamTls TLS towards intercepted upstreams, loaded while the gateway binds
 * @param resolver   upstream name resolution
 * @param resolving  where blocking name resolution runs, off the event loops
 * @param scanning   where large request bodies are scanned, off the event loops
 * @param audit      the audit log
 * @param workers    the event loops
 * @param asks       what hosts no rule covers get beyond the rules
 * @param metering   the bottle's spend on the model and its budget
 */
record GatewayServices(GatewayConfig config, PolicyHolder policy, CompletableFuture<LeafCertificates> loadingLeaves,
                       CompletableFuture<SslContext> loadingUpstreamTls, HostResolver resolver, Executor resolving,
                       Executor scanning, AuditLog audit, EventLoopGroup workers,
                       EgressAsks asks, java.util.concurrent.atomic.AtomicReference<Metering> metering) {
    /** The leaf certificates; the gateway reports it listens only once they are loaded. */
    LeafCertificates leaves() {
        return loadingLeaves.join();
    }

    /** TLS towards intercepted upstreams; the gateway reports it listens only once it is loaded. */
    SslContext upstreamTls() {
        return loadingUpstreamTls.join();
    }
}
