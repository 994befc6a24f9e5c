package dev.claudebottle.bundle.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;

/**
 * What every connection handler shares.
 *
 * @param config     limits and identity
 * @param policy     the policy in force
 * @param leaves     leaf certificates for interception
 * @param upstreamTls TLS towards intercepted upstreams
 * @param resolver   upstream name resolution
 * @param resolving  where blocking name resolution runs, off the event loops
 * @param audit      the audit log
 * @param workers    the event loops
 */
record GatewayServices(GatewayConfig config, PolicyHolder policy, LeafCertificates leaves, SslContext upstreamTls,
                       HostResolver resolver, Executor resolving, AuditLog audit, EventLoopGroup workers) {
}
