package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.trust.UpstreamTrust;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import dev.claudebottle.spi.Secret;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Forwards the HTTP requests of one guest connection (plain proxy requests, or requests
 * decrypted inside an intercepted tunnel), one at a time: has them checked ({@link RequestChecks}),
 * injects the route's credential, sends them upstream over a connection reused while it stays on
 * the same host, and streams the response back. Runs on the guest connection's event loop only.
 */
final class Forwarder implements RequestChecks.Outcome {
    private final GatewayServices s;
    private final Channel client;
    private final ExchangeAudit audit;
    private final RequestChecks checks;
    private final Deque<GuestRequest> queue = new ArrayDeque<>();
    private Channel upstream;
    private String upstreamOrigin;
    private Exchange exchange;
    private static final String BATCHES = "message batches are not metered, so a bottle with a budget cannot make "
            + "them; send the requests one by one";
    /** Parts of metered responses read in this batch, metered once it is flushed to the guest. */
    private final java.util.List<MeterPart> toMeter = new java.util.ArrayList<>();

    Forwarder(GatewayServices services, Channel client) {
        this.s = services;
        this.client = client;
        this.audit = new ExchangeAudit(services, client);
        this.checks = new RequestChecks(services, client, this);
    }

    /** Queues a request; it is taken over (and released) by the forwarder. */
    void submit(FullHttpRequest request, String host, int port, boolean tls) {
        queue.add(new GuestRequest(request, host, port, tls));
        if (exchange == null) {
            next();
        }
    }

    /** The guest connection can take more bytes, or cannot. */
    void clientWritable(boolean writable) {
        if (upstream != null) {
            upstream.config().setAutoRead(writable);
        }
    }

    /** The guest connection closed: drop everything. */
    void clientClosed() {
        GuestRequest p;
        while ((p = queue.poll()) != null) {
            ReferenceCountUtil.safeRelease(p.http());
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void next() {
        GuestRequest p = queue.poll();
        if (p == null) {
            client.config().setAutoRead(true);
            return;
        }
        client.config().setAutoRead(false);
        checks.check(p);
    }

    @Override
    public void stand(Exchange e) {
        exchange = e;
    }

    @Override
    public boolean stands(Exchange e) {
        return exchange == e;
    }

    @Override
    public void refused(Exchange e, HttpResponseStatus status, String text) {
        exchange = e;
        ReferenceCountUtil.safeRelease(e.request.http());
        respondAndFinish(status, text, e.decision.verdict(), e.decision.reason(), e.decision.refusal());
    }

    @Override
    public void passed(Exchange e, Optional<RequestInspection.Finding> warning) {
        FullHttpRequest req = e.request.http();
        warning.ifPresent(f -> audit.request(e, "warn", f.decision().reason(), 0));
        e.websocket = WebSocketUpgrade.requested(req);
        UpstreamRequest.rewrite(e.request, e.path);
        if (e.websocket) {
            WebSocketUpgrade.prepare(req);
        }
        if (e.decision.route().isEmpty()) {
            send(e.request, e.decision);
            return;
        }
        if (MeteredCall.spends(e)) {
            Optional<String> spent = s.metering().get().spent();
            if (spent.isPresent()) {
                ReferenceCountUtil.safeRelease(req);
                answerSpent(spent.get());
                return;
            }
            if (MeteredCall.batch(e) && s.metering().get().limited()) {
                ReferenceCountUtil.safeRelease(req);
                answerRefused(HttpResponseStatus.FORBIDDEN, ApiError.PERMISSION.body(BATCHES), BATCHES,
                        Refusal.UNMETERED);
                return;
            }
        }
        GatewayPolicy.Route route = e.decision.route().get();
        CompletableFuture<Secret> value = route.credential().value();
        if (value.isDone() && !value.isCompletedExceptionally()) {
            injected(e, route, value.join());
            return;
        }
        // a sign-in being refreshed: the request waits for the new token, reading nothing more meanwhile
        value.whenComplete((v, failed) -> client.eventLoop().execute(() -> {
            if (!stands(e) || !client.isActive()) {
                ReferenceCountUtil.safeRelease(req);
                return;
            }
            if (failed != null) {
                ReferenceCountUtil.safeRelease(req);
                withoutCredential(SignInCredential.why(failed));
                return;
            }
            injected(e, route, v);
        }));
    }

    private void injected(Exchange e, GatewayPolicy.Route route, Secret value) {
        e.injected = value;
        e.watch = CredentialInjection.inject(e.request.http(), route, value);
        send(e.request, e.decision);
    }

    private void send(GuestRequest p, Decision decision) {
        String origin = p.origin();
        if (upstream != null && upstream.isActive() && origin.equals(upstreamOrigin)) {
            write(p.http());
            return;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        UpstreamConnector.connect(s, client.eventLoop(), p.host(), p.port(), decision, true,
                ch -> UpstreamPipeline.build(ch, s, p,
                        new ResponseRelay(client, this::onUpstream, this::onUpstreamGone, this::meterQueued)),
                new UpstreamConnector.Outcome() {
                    @Override
                    public void connected(Channel ch) {
                        if (!client.isActive()) {
                            ch.close();
                            ReferenceCountUtil.safeRelease(p.http());
                            return;
                        }
                        upstream = ch;
                        upstreamOrigin = origin;
                        write(p.http());
                    }

                    @Override
                    public void failed(UpstreamConnector.Failure failure) {
                        ReferenceCountUtil.safeRelease(p.http());
                        Decision refused = failure.refused() ? Decision.deny(Refusal.SSRF, "ssrf", failure.reason())
                                : exchange.decision;
                        exchange = new Exchange(p, exchange.method, exchange.path, refused, exchange.clientKeepAlive,
                                exchange.bytesUp);
                        respondAndFinish(failure.status(), failure.refused() ? Responses.blocked(refused)
                                : failure.reason(), failure.refused() ? "deny" : "error", failure.reason(),
                                failure.refused() ? Refusal.SSRF : Refusal.NONE);
                    }
                });
    }

    private void write(FullHttpRequest request) {
        Channel target = upstream;
        target.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && exchange != null && !exchange.responseStarted) {
                target.close();
            }
        });
    }

    @Override
    public void answered(Exchange e, HttpResponseStatus status, String json, String reason) {
        exchange = e;
        ReferenceCountUtil.safeRelease(e.request.http());
        answerJson(status, json, status.code() < 300 ? "allow" : "deny", reason);
    }

    /** The budget is spent: the call does not leave, and the guest gets a 429 its client shows and does not retry. */
    private void answerSpent(String why) {
        answerRefused(HttpResponseStatus.TOO_MANY_REQUESTS, ApiError.RATE_LIMIT.body(why), "budget: " + why,
                Refusal.BUDGET);
    }

    /** A model call that does not leave: the guest gets {@code json} in the API's error shape and the reason code. */
    private void answerRefused(HttpResponseStatus status, String json, String reason, Refusal refusal) {
        Exchange e = exchange;
        e.status = status.code();
        audit.request(e, "deny", reason, e.status);
        exchange = null;
        Responses.json(client, status, json, refusal, !e.clientKeepAlive);
        if (e.clientKeepAlive) {
            next();
        }
    }

    /** The route's credential cannot be had: the guest gets a 401 its client shows, in the API's own error shape. */
    private void withoutCredential(String why) {
        answerJson(HttpResponseStatus.UNAUTHORIZED, ApiError.AUTHENTICATION.body(why), "error", "no credential: " + why);
    }

    private void answerJson(HttpResponseStatus status, String json, String verdict, String reason) {
        Exchange e = exchange;
        e.status = status.code();
        audit.request(e, verdict, reason, e.status);
        exchange = null;
        Responses.json(client, status, json, !e.clientKeepAlive);
        if (e.clientKeepAlive) {
            next();
        }
    }

    private void respondAndFinish(HttpResponseStatus status, String text, String verdict, String reason,
                                  Refusal refusal) {
        Exchange e = exchange;
        e.status = status.code();
        audit.request(e, verdict, reason, status.code());
        exchange = null;
        Responses.send(client, status, text, refusal, !e.clientKeepAlive);
        if (e.clientKeepAlive) {
            next();
        }
    }

    private void onUpstream(Channel from, Object msg) {
        Exchange e = exchange;
        if (from != upstream || e == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            e.head(response);
            if (MeteredCall.spends(e) && response.status().code() == HttpResponseStatus.OK.code()) {
                e.meter = dev.claudebottle.bundle.spend.UsageMeter.forContentType(
                        response.headers().get(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE));
                e.meteredSince = System.nanoTime();
            }
            if (e.injected != null && response.status().code() == HttpResponseStatus.UNAUTHORIZED.code()) {
                // a sign-in's access token may have been revoked or expired early: the credential is told
                e.decision.route().ifPresent(r -> r.credential().refused(e.injected));
            }
        }
        if (e.upgraded && msg instanceof LastHttpContent) {
            client.writeAndFlush(msg);
            upgrade(e, from);
            return;
        }
        if (e.watch != null) {
            boolean head = msg instanceof HttpResponse;
            WatchedResponse.Outcome watched = WatchedResponse.next(e.watch, e.request.host(), msg);
            if (watched instanceof WatchedResponse.Cut cut) {
                cut(e, from, head, cut);
                return;
            }
            msg = ((WatchedResponse.Pass) watched).part();
        }
        if (msg instanceof HttpContent content) {
            e.bytesDown += content.content().readableBytes();
            if (e.meter != null) {
                // metered once the batch is flushed to the guest, on the meter's own thread: never holding an event back
                toMeter.add(new MeterPart(e.meter, content.content().retainedDuplicate()));
            }
        }
        if (e.interim) {
            if (msg instanceof LastHttpContent) {
                e.interim = false;
                e.responseStarted = false;
                client.writeAndFlush(msg);
            } else {
                client.write(msg);
            }
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        // Parts are flushed per upstream read batch (see ResponseRelay), the last one at once.
        var written = last ? client.writeAndFlush(msg) : client.write(msg);
        if (!client.isWritable()) {
            // Stop reading before flushing: a flush that drains at once re-enables reading itself.
            from.config().setAutoRead(false);
            client.flush();
            if (client.isWritable()) {
                from.config().setAutoRead(true);
            }
        }
        if (last) {
            metered(e);
            audit.request(e, e.decision.verdict(), e.decision.route().isPresent() ? "credential injected" : "allowed",
                    e.status);
            exchange = null;
            if (!e.upstreamKeepAlive) {
                from.close();
                upstream = null;
            }
            if (e.closeClient) {
                written.addListener(ChannelFutureListener.CLOSE);
            } else {
                next();
            }
        }
    }

    /** Cuts the response off: a 502 if none of it reached the guest yet ({@code head}), else the guest leg closes. */
    private void cut(Exchange e, Channel from, boolean head, WatchedResponse.Cut cut) {
        audit.responseCut(e, cut.verdict(), cut.reason());
        // what the model used until the cut is spent all the same
        metered(e);
        exchange = null;
        upstream = null;
        from.close();
        if (head) {
            Responses.send(client, HttpResponseStatus.BAD_GATEWAY, cut.reason(), true);
        } else {
            client.close();
        }
    }

    /** The upstream accepted a WebSocket: both connections carry frames from now on, this forwarder is done. */
    private void upgrade(Exchange e, Channel from) {
        s.asks().hold(e.decision, client);
        audit.request(e, e.decision.verdict(), "websocket opened", e.status);
        exchange = null;
        upstream = null;
        WebSocketHandover.open(s, audit, e, client, from);
    }

    private void onUpstreamGone(Channel from, Throwable cause) {
        boolean current = from == upstream;
        if (current) {
            upstream = null;
        }
        Exchange e = exchange;
        if (!current || e == null) {
            return;
        }
        if (!e.responseStarted) {
            String reason = "the upstream " + e.request.host() + ":" + e.request.port()
                    + (UpstreamTrust.tlsFailure(cause).isPresent() ? " failed TLS" : " closed the connection")
                    + (cause != null ? ": " + UpstreamConnector.message(cause) : "");
            respondAndFinish(HttpResponseStatus.BAD_GATEWAY, reason, "error", reason, Refusal.NONE);
        } else {
            // what the model used until the cut is spent all the same
            metered(e);
            audit.request(e, "error", "the upstream closed mid-response", e.status);
            exchange = null;
            client.close();
        }
    }

    /** Hands the parts of metered responses that reached the guest to the meter's thread, in order. */
    private void meterQueued() {
        for (MeterPart part : toMeter) {
            s.metering().get().read(part.meter(), part.content());
        }
        toMeter.clear();
    }

    /** Adds a metered call's usage to the bottle's spend, once, after the parts queued before it were read. */
    private void metered(Exchange e) {
        meterQueued();
        if (e.meter != null) {
            s.metering().get().finish(e.meter, MeteredCall.messages(e),
                    java.time.Duration.ofNanos(System.nanoTime() - e.meteredSince));
            e.meter = null;
        }
    }

    /** A part of a metered response, waiting for its batch to reach the guest. */
    private record MeterPart(dev.claudebottle.bundle.spend.UsageMeter meter, io.netty.buffer.ByteBuf content) {
    }
}
