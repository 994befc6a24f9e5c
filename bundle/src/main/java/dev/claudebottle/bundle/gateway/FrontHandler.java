package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.contract.BundleLayout;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first handler a guest connection meets: CONNECT requests become a refusal, a tunnel, or an
 * intercepted TLS session; absolute {@code http://} requests are forwarded; anything else, and
 * anything malformed, gets 400 and the gateway keeps serving.
 */
final class FrontHandler extends GuestConnectionHandler {
    FrontHandler(GatewayServices services) {
        super(services);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            req.release();
            boolean tooLong = cause instanceof TooLongFrameException;
            String reason = tooLong ? "request line or headers too large" : Responses.malformed(cause);
            audit(ctx.channel(), "?", "", 0, "", "deny", "protocol", reason, tooLong ? 431 : 400);
            Responses.send(ctx.channel(), tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST, reason, true);
            return;
        }
        if (req.method().equals(HttpMethod.CONNECT)) {
            connect(ctx, req);
        } else if (req.uri().regionMatches(true, 0, "http://", 0, 7) || req.uri().regionMatches(true, 0, "ws://", 0, 5)) {
            // ws:// is how some WebSocket clients name a plain-HTTP upgrade to a proxy.
            forwardPlain(ctx, req);
        } else {
            String reason = req.uri().regionMatches(true, 0, "https://", 0, 8)
                    || req.uri().regionMatches(true, 0, "wss://", 0, 6)
                    ? "use CONNECT for https:// and wss:// URLs" : "not a proxy request (CONNECT host:port or an "
                    + "absolute http:// URL expected)";
            req.release();
            audit(ctx.channel(), "?", "", 0, "", "deny", "protocol", reason, 400);
            Responses.send(ctx.channel(), HttpResponseStatus.BAD_REQUEST, reason, true);
        }
    }

    private void forwardPlain(ChannelHandlerContext ctx, FullHttpRequest req) {
        URI uri;
        try {
            uri = new URI(req.uri());
        } catch (URISyntaxException e) {
            req.release();
            Responses.send(ctx.channel(), HttpResponseStatus.BAD_REQUEST, "malformed URL", true);
            return;
        }
        if (uri.getHost() == null) {
            req.release();
            Responses.send(ctx.channel(), HttpResponseStatus.BAD_REQUEST, "the URL names no host", true);
            return;
        }
        String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
        forwarder.submit(req, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                uri.getPort() > 0 ? uri.getPort() : 80, false);
    }

    private void connect(ChannelHandlerContext ctx, FullHttpRequest req) {
        Channel client = ctx.channel();
        Optional<HostPort> target = HostPort.parse(req.uri());
        String headers = RequestText.headers(req);
        req.release();
        if (target.isEmpty()) {
            audit(client, "CONNECT", "", 0, "", "deny", "protocol", "malformed CONNECT target", 400);
            Responses.send(client, HttpResponseStatus.BAD_REQUEST, "malformed CONNECT target (host:port expected)",
                    true);
            return;
        }
        String host = target.get().host();
        int port = target.get().port();
        CompiledPolicy policy = s.policy().get();
        Optional<String> trip = policy.tripwire().check(headers, host);
        if (trip.isPresent()) {
            // the fence's probe proves the tripwire without tainting the bottle: it names a host that never resolves
            refuse(client, host, port, host.equals(BundleLayout.PROBE_HOST)
                    ? Decision.deny(Refusal.TRIPWIRE, "tripwire", trip.get() + " (the fence's probe: no alert)")
                    : Decision.alert("tripwire", trip.get()));
            return;
        }
        // The allowlist first: a host that is refused anyway costs no scanning.
        Decision ruled = policy.rules().connect(host, port);
        if (!ruled.allowed() && !s.asks().mayChange(ruled, policy, host)) {
            refuse(client, host, port, ruled);
            return;
        }
        // DLP before a person is asked: a host shaped to carry a secret is not worth a question.
        Optional<String> secret = ExfilShapes.inHost(host).map(shape -> "exfil-shape (" + shape + ")")
                .or(() -> policy.scanner().scan(headers));
        if (secret.isPresent() && policy.dlpBlocks()) {
            refuse(client, host, port, Decision.deny(Refusal.DLP, "dlp " + secret.get(), "DLP pattern "
                    + secret.get() + " in the host or a header"));
            return;
        }
        client.config().setAutoRead(false);
        CompletableFuture<Decision> deciding = s.asks().decide(ruled, policy, host, port, "CONNECT", "");
        if (deciding.isDone()) {
            decided(client, host, port, deciding.join());
        } else {
            deciding.thenAccept(d -> client.eventLoop().execute(() -> {
                if (client.isActive()) {
                    decided(client, host, port, d);
                }
            }));
        }
    }

    private void decided(Channel client, String host, int port, Decision decision) {
        if (!decision.allowed()) {
            refuse(client, host, port, decision);
            return;
        }
        if (decision.intercept()) {
            established(client).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    intercept(client, host, port);
                }
            });
        } else {
            s.asks().hold(decision, client);
            tunnel(client, host, port, decision);
        }
    }

    private void intercept(Channel client, String host, int port) {
        ChannelPipeline p = client.pipeline();
        p.addLast("tls", s.leaves().serverContext(host).newHandler(client.alloc()));
        p.addLast("codec2", new GuestHttpCodec(s.config().maxHeaderBytes()));
        p.addLast("aggregator2", new HttpObjectAggregator(s.config().maxBodyBytes()));
        p.addLast("intercept", new InterceptHandler(s, host, port));
        p.remove(this);
        p.remove("aggregator");
        p.remove("codec");
        client.config().setAutoRead(true);
    }

    private void tunnel(Channel client, String host, int port, Decision decision) {
        long started = System.nanoTime();
        AtomicLong up = new AtomicLong();
        AtomicLong down = new AtomicLong();
        AtomicBoolean logged = new AtomicBoolean();
        UpstreamConnector.connect(s, client.eventLoop(), host, port, decision, false, ch -> { },
                new UpstreamConnector.Outcome() {
                    @Override
                    public void connected(Channel upstream) {
                        if (!client.isActive()) {
                            upstream.close();
                            return;
                        }
                        Runnable onClose = () -> {
                            if (logged.compareAndSet(false, true)) {
                                audit(client, "CONNECT", host, port, "", "allow", decision.rule(), "tunnel",
                                        200, "tunnel", up.get(), down.get(), started);
                            }
                        };
                        established(client).addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) {
                                upstream.close();
                                return;
                            }
                            long idle = s.config().idleTimeout().toSeconds();
                            upstream.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.SECONDS));
                            upstream.pipeline().addLast("relay", new TunnelRelay(client, down, onClose));
                            ChannelPipeline p = client.pipeline();
                            p.addLast("tunnel-idle", new IdleStateHandler(0, 0, idle, TimeUnit.SECONDS));
                            p.addLast("relay", new TunnelRelay(upstream, up, onClose));
                            p.remove(FrontHandler.this);
                            p.remove("aggregator");
                            p.remove("codec");
                            if (p.get("idle") != null) {
                                p.remove("idle");
                            }
                            // Bytes the guest sent right after CONNECT were handed on by the codec's removal.
                            upstream.flush();
                            client.eventLoop().schedule(() -> {
                                client.close();
                                upstream.close();
                            }, s.config().tunnelLifetime().toSeconds(), TimeUnit.SECONDS);
                            client.config().setAutoRead(true);
                            upstream.config().setAutoRead(true);
                        });
                    }

                    @Override
                    public void failed(UpstreamConnector.Failure failure) {
                        Decision d = failure.refused() ? Decision.deny(Refusal.SSRF, "ssrf", failure.reason()) : decision;
                        audit(client, "CONNECT", host, port, "", failure.refused() ? "deny" : "error", d.rule(),
                                failure.reason(), failure.status().code());
                        Responses.send(client, failure.status(), failure.refused() ? Responses.blocked(d)
                                : failure.reason(), d.refusal(), true);
                    }
                });
    }

    private static io.netty.channel.ChannelFuture established(Channel client) {
        return client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(200, "Connection Established")));
    }

    private void refuse(Channel client, String host, int port, Decision decision) {
        audit(client, "CONNECT", host, port, "", decision.verdict(), decision.rule(), decision.reason(), 403);
        Responses.send(client, HttpResponseStatus.FORBIDDEN, Responses.blocked(decision), decision.refusal(), true);
    }


    private void audit(Channel client, String method, String host, int port, String path, String verdict,
                       String rule, String reason, int status) {
        audit(client, method, host, port, path, verdict, rule, reason, status, "connect", 0, 0, System.nanoTime());
    }

    private void audit(Channel client, String method, String host, int port, String path, String verdict,
                       String rule, String reason, int status, String kind, long up, long down, long started) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), kind, method, host, port, path,
                verdict, rule, reason, status, up, down, (System.nanoTime() - started) / 1_000_000));
    }
}
