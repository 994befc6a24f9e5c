package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The egress gateway: an HTTP proxy (CONNECT and absolute-URI requests) that is the guest's only
 * way out. Default deny, credential injection, tripwire, DLP, SSRF refusal and an audit line for
 * every decision.
 */
public final class GatewayServer implements AutoCloseable {
    private final GatewayServices services;
    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers;
    /** The sign-in's refreshes run on a loop of their own: guest traffic cannot hold up their answers. */
    private final EventLoopGroup signIn = new NioEventLoopGroup(1);
    private final ExecutorService resolving;
    private final ExecutorService scanning;
    private final ConnectionLimiter limiter;
    private final TrafficStop stop = new TrafficStop();
    private final EgressAsks asks;
    private final GuestActivity guestActivity = new GuestActivity();
    private Channel server;
    private boolean closed;

    /** A gateway; {@link #start()} binds it. */
    public GatewayServer(GatewayConfig config, PolicyHolder policy, LeafCertificates leaves, SslContext upstreamTls,
                         HostResolver resolver, AuditLog audit) {
        this(config, policy, CompletableFuture.completedFuture(leaves), CompletableFuture.completedFuture(upstreamTls),
                resolver, audit);
    }

    /**
     * A gateway whose leaf certificates and upstream TLS are still loading: it binds meanwhile, and
     * {@link #awaitLoaded()} tells when (and whether) they are ready.
     */
    public GatewayServer(GatewayConfig config, PolicyHolder policy, CompletableFuture<LeafCertificates> leaves,
                         CompletableFuture<SslContext> upstreamTls, HostResolver resolver, AuditLog audit) {
        this(config, policy, leaves, upstreamTls, resolver, audit, Optional.empty());
    }

    /**
     * A gateway that asks a person through {@code queue} about hosts no rule covers, when its
     * policy says {@code unknown: ask}.
     */
    public GatewayServer(GatewayConfig config, PolicyHolder policy, CompletableFuture<LeafCertificates> leaves,
                         CompletableFuture<SslContext> upstreamTls, HostResolver resolver, AuditLog audit,
                         Optional<ApprovalQueue> queue) {
        this.workers = new NioEventLoopGroup(config.workerThreads());
        this.resolving = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "gateway-resolver");
            t.setDaemon(true);
            return t;
        });
        this.scanning = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "gateway-scanner");
            t.setDaemon(true);
            return t;
        });
        this.limiter = new ConnectionLimiter(config.maxConnections());
        this.asks = new EgressAsks(queue, resolver, audit, config.slug());
        this.services = new GatewayServices(config, policy, leaves, upstreamTls, resolver, resolving, scanning, audit,
                workers, asks, new java.util.concurrent.atomic.AtomicReference<>(
                        dev.claudebottle.bundle.spend.Metering.unlimited(audit, config.slug())));
    }

    /** Model calls are metered, and refused once spent, by {@code metering} from now on. */
    public void meter(dev.claudebottle.bundle.spend.Metering metering) {
        services.metering().set(metering);
    }

    /** Sign-in routes refresh through this gateway's own egress from now on. */
    public void refreshSignInsThrough(SignInSource source) {
        source.attach(new SignInEndpoint(services, signIn.next()));
    }

    /** Sign-in routes refresh at a token endpoint on {@code port} of its host: a test's fake. */
    void refreshSignInsThrough(SignInSource source, int port) {
        source.attach(new SignInEndpoint(services, signIn.next(), port));
    }

    /** Binds and serves; returns the address it listens on. */
    public InetSocketAddress start() throws InterruptedException {
        GatewayConfig c = services.config();
        server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("activity", guestActivity);
                        ch.pipeline().addLast("stop", stop);
                        ch.pipeline().addLast("limiter", limiter);
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, c.idleTimeout().toSeconds(),
                                TimeUnit.SECONDS));
                        ch.pipeline().addLast("codec", new GuestHttpCodec(c.maxHeaderBytes()));
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(c.maxBodyBytes()));
                        ch.pipeline().addLast("front", new FrontHandler(services));
                    }
                })
                .bind(c.bindHost(), c.port()).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Waits until the leaf certificates and the upstream TLS are loaded; rethrows what failed to load. */
    public void awaitLoaded() throws Exception {
        for (CompletableFuture<?> loading : List.of(services.loadingLeaves(), services.loadingUpstreamTls())) {
            try {
                loading.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /**
     * Stops the bottle's traffic: every guest connection is closed and every new one refused, for
     * as long as the gateway runs (the bottle's first alert, with {@code egress.on_alert: stop}).
     */
    public void stopTraffic() {
        stop.stop();
    }

    /** How many things guest connections have done so far: connections opened, reads and writes. */
    public long guestActivity() {
        return guestActivity.count();
    }

    /** Guest connections open now. */
    public int openConnections() {
        return limiter.open();
    }

    /** Requests waiting on a person's answer to a question that shows another request. */
    int waitingBehindQuestions() {
        return asks.waitingBehind();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        signIn.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        resolving.shutdownNow();
        scanning.shutdownNow();
        asks.close();
    }
}
