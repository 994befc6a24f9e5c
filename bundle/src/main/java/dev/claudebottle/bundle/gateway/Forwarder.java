package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.bundle.trust.UpstreamTrust;
import dev.claudebottle.contract.RequestPath;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Forwards the HTTP requests of one guest connection (plain proxy requests, or requests
 * decrypted inside an intercepted tunnel), one at a time: decide, scan, inject the route's
 * credential, send upstream over a connection reused while it stays on the same host, and stream
 * the response back. Runs on the guest connection's event loop only.
 */
final class Forwarder {
    /** What the audit log gets for a path that may hold a secret. */
    private static final String REDACTED = "[redacted]";
    /** Requests whose headers and body together are no larger are scanned on the event loop itself. */
    private static final int INLINE_SCAN_BYTES = 64 * 1024;
    /** The name of the upstream connection's handler that hands responses to the forwarder. */
    static final String RELAY = "relay";
    private final GatewayServices s;
    private final Channel client;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private Channel upstream;
    private String upstreamKey;
    private Exchange exchange;

    private record Pending(FullHttpRequest request, String host, int port, boolean tls) {
    }

    /** One request in flight. */
    private static final class Exchange {
        final Pending pending;
        final String method;
        final String path;
        final Decision decision;
        final boolean clientKeepAlive;
        final HttpVersion clientVersion;
        final long started = System.nanoTime();
        final long bytesUp;
        long bytesDown;
        boolean responseStarted;
        boolean upstreamKeepAlive = true;
        boolean closeClient;
        boolean interim;
        boolean websocket;
        boolean upgraded;
        /** Watches the response for the credential injected into the request, if one was. */
        ResponseWatch watch;
        int status;

        Exchange(Pending pending, String method, String path, Decision decision, boolean keepAlive, long bytesUp) {
            this.pending = pending;
            this.method = method;
            this.path = path;
            this.decision = decision;
            this.clientKeepAlive = keepAlive;
            this.clientVersion = pending.request().protocolVersion();
            this.bytesUp = bytesUp;
        }
    }

    Forwarder(GatewayServices services, Channel client) {
        this.s = services;
        this.client = client;
    }

    /** Queues a request; it is taken over (and released) by the forwarder. */
    void submit(FullHttpRequest request, String host, int port, boolean tls) {
        queue.add(new Pending(request, host, port, tls));
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
        Pending p;
        while ((p = queue.poll()) != null) {
            ReferenceCountUtil.safeRelease(p.request());
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private void next() {
        Pending p = queue.poll();
        if (p == null) {
            client.config().setAutoRead(true);
            return;
        }
        client.config().setAutoRead(false);
        handle(p);
    }

    private void handle(Pending p) {
        FullHttpRequest req = p.request();
        CompiledPolicy policy = s.policy().get();
        String method = req.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        long bytesUp = req.content().readableBytes();
        String target;
        try {
            target = RequestTarget.originForm(req, p.host(), p.port(), p.tls());
        } catch (RequestTarget.Refused e) {
            Decision bad = Decision.deny(Refusal.PROTOCOL, "protocol", e.getMessage());
            exchange = new Exchange(p, method, p.tls() ? "" : originForm(req.uri()), bad, false, bytesUp);
            refuse(HttpResponseStatus.BAD_REQUEST, bad, e.getMessage());
            return;
        }
        // Where paths decide, what was checked is what goes upstream.
        Optional<String> normal = policy.rules().pathsDecide(p.host(), p.port()) ? RequestPath.normalise(target)
                : Optional.of(target);
        String path = normal.orElse(REDACTED);
        if (normal.isEmpty()) {
            Decision ambiguous = Decision.deny(Refusal.PROTOCOL, "protocol", "an ambiguous path (an encoded / or \\, a backslash,"
                    + " or a doubly encoded dot) where paths decide");
            exchange = new Exchange(p, method, REDACTED, ambiguous, keepAlive, bytesUp);
            refuse(HttpResponseStatus.BAD_REQUEST, ambiguous, ambiguous.reason());
            return;
        }
        if (method.equals("TRACE") || method.equals("TRACK")) {
            // The upstream would echo the request back, the injected credential with it.
            Decision echo = Decision.deny(Refusal.PROTOCOL, "protocol", method + " is refused: it echoes the request back");
            exchange = new Exchange(p, method, path, echo, keepAlive, bytesUp);
            refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, echo, echo.reason());
            return;
        }
        Decision ruled = policy.rules().request(method, p.host(), p.port(), path);
        if (!s.asks().mayChange(ruled, policy, p.host())) {
            decided(p, policy, method, path, keepAlive, bytesUp, ruled);
            return;
        }
        // DLP and the tripwire before a person is asked: a request they refuse is not worth a question,
        // and its path is not shown to anyone.
        Optional<RequestInspection.Finding> early = RequestInspection.inspect(policy, p.host(), path,
                RequestText.headers(req), new byte[0], null, s.config().maxBodyBytes());
        if (early.isPresent() && early.get().refuses()) {
            RequestInspection.Finding f = early.get();
            exchange = new Exchange(p, method, f.redact() ? REDACTED : path, f.decision(), keepAlive, bytesUp);
            refuse(f.status(), f.decision(), f.status().code() == 403 ? Responses.blocked(f.decision())
                    : f.decision().reason());
            return;
        }
        // A person may be asked: the guest's connection waits, reading nothing more, meanwhile.
        exchange = new Exchange(p, method, path, ruled, keepAlive, bytesUp);
        Exchange asking = exchange;
        CompletableFuture<Decision> deciding = s.asks().decide(ruled, policy, p.host(), p.port(), method, path,
                WebSocketUpgrade.requested(req));
        Runnable go = () -> {
            if (exchange != asking || !client.isActive()) {
                ReferenceCountUtil.safeRelease(req);
                return;
            }
            decided(p, policy, method, path, keepAlive, bytesUp, deciding.join());
        };
        if (deciding.isDone()) {
            go.run();
        } else {
            deciding.thenAccept(d -> client.eventLoop().execute(go));
        }
    }

    /** Goes on with a request once the rules, or a person, decided. */
    private void decided(Pending p, CompiledPolicy policy, String method, String path, boolean keepAlive,
                         long bytesUp, Decision decided) {
        FullHttpRequest req = p.request();
        Decision decision = decided.route().filter(r -> !p.tls() && !r.plainHttp()).isPresent()
                ? Decision.deny(Refusal.PROTOCOL, decided.rule(), "the credential for " + p.host() + " goes only over TLS:"
                        + " use https://, or let the route opt in with plain_http")
                : decided;
        exchange = new Exchange(p, method, path, decision, keepAlive, bytesUp);
        if (!decision.allowed()) {
            refuse(HttpResponseStatus.FORBIDDEN, decision, Responses.blocked(decision));
            return;
        }
        String headers = RequestText.headers(req);
        byte[] body = io.netty.buffer.ByteBufUtil.getBytes(req.content());
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        Exchange e = exchange;
        if (body.length + headers.length() <= INLINE_SCAN_BYTES) {
            proceed(e, req, p, path, decision, RequestInspection.inspect(policy, p.host(), path, headers, body, encoding,
                    s.config().maxBodyBytes()));
            return;
        }
        // A large body is scanned off the event loop: the guest's other connections go on meanwhile.
        s.scanning().execute(() -> {
            Optional<RequestInspection.Finding> finding = RequestInspection.inspect(policy, p.host(), path, headers,
                    body, encoding, s.config().maxBodyBytes());
            client.eventLoop().execute(() -> proceed(e, req, p, path, decision, finding));
        });
    }

    /** Goes on with a request once its content was inspected: refused, or sent upstream. */
    private void proceed(Exchange e, FullHttpRequest req, Pending p, String path, Decision decision,
                         Optional<RequestInspection.Finding> finding) {
        if (exchange != e || !client.isActive()) {
            ReferenceCountUtil.safeRelease(req);
            return;
        }
        if (finding.isPresent() && finding.get().refuses()) {
            RequestInspection.Finding f = finding.get();
            // A path that may carry the secret gets no part of it into the audit log.
            exchange = new Exchange(p, e.method, f.redact() ? REDACTED : path, f.decision(), e.clientKeepAlive,
                    e.bytesUp);
            refuse(f.status(), f.decision(), f.status().code() == 403 ? Responses.blocked(f.decision())
                    : f.decision().reason());
            return;
        }
        finding.ifPresent(f -> audit(exchange, "warn", f.decision().reason(), 0));
        exchange.websocket = WebSocketUpgrade.requested(req);
        prepareForUpstream(req, p, path);
        if (exchange.websocket) {
            WebSocketUpgrade.prepare(req);
        }
        decision.route().ifPresent(r -> {
            req.headers().set(r.header(), r.value().reveal());
            // the answer is watched for the value as it reads: a compressed one could not be
            req.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
            exchange.watch = new ResponseWatch(r.value().reveal());
        });
        send(p, decision);
    }

    private void send(Pending p, Decision decision) {
        String key = (p.tls() ? "https://" : "http://") + p.host() + ":" + p.port();
        if (upstream != null && upstream.isActive() && key.equals(upstreamKey)) {
            write(p.request());
            return;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        UpstreamConnector.connect(s, client.eventLoop(), p.host(),
                p.port(), decision, true, ch -> {
                    if (p.tls()) {
                        SSLEngine engine = s.upstreamTls().newEngine(ch.alloc(), p.host(), p.port());
                        SSLParameters params = engine.getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        engine.setSSLParameters(params);
                        ch.pipeline().addLast("tls", new SslHandler(engine));
                    }
                    ch.pipeline().addLast("codec", new HttpClientCodec(8192, 64 * 1024, 64 * 1024));
                    ch.pipeline().addLast(RELAY, new ResponseRelay());
                }, new UpstreamConnector.Outcome() {
                    @Override
                    public void connected(Channel ch) {
                        if (!client.isActive()) {
                            ch.close();
                            ReferenceCountUtil.safeRelease(p.request());
                            return;
                        }
                        upstream = ch;
                        upstreamKey = key;
                        write(p.request());
                    }

                    @Override
                    public void failed(UpstreamConnector.Failure failure) {
                        ReferenceCountUtil.safeRelease(p.request());
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

    private void refuse(HttpResponseStatus status, Decision decision, String text) {
        ReferenceCountUtil.safeRelease(exchange.pending.request());
        respondAndFinish(status, text, decision.verdict(), decision.reason(), decision.refusal());
    }

    private void respondAndFinish(HttpResponseStatus status, String text, String verdict, String reason,
                                  Refusal refusal) {
        Exchange e = exchange;
        e.status = status.code();
        audit(e, verdict, reason, status.code());
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
            e.upgraded = e.websocket && WebSocketUpgrade.accepted(response);
            // A 1xx before the final response is passed on; the exchange goes on until the final one ends.
            e.interim = ResponseFraming.interim(response);
            e.responseStarted = true;
            e.status = response.status().code();
            e.upstreamKeepAlive = HttpUtil.isKeepAlive(response)
                    && !ResponseFraming.closeDelimited(response, e.method);
            if (!e.upgraded) {
                e.closeClient = ResponseFraming.forGuest(response, e.method, e.clientVersion, e.clientKeepAlive);
            }
        }
        if (e.upgraded && msg instanceof LastHttpContent) {
            client.writeAndFlush(msg);
            upgrade(e, from);
            return;
        }
        if (e.watch != null) {
            msg = watched(e, from, msg);
            if (msg == null) {
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            e.bytesDown += content.content().readableBytes();
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
            audit(e, e.decision.verdict(), e.decision.route().isPresent() ? "credential injected" : "allowed",
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

    /**
     * The part to pass on to the guest, with what could begin the injected credential held back;
     * null when the response carried the credential: it is cut off there and logged as an alert.
     */
    private Object watched(Exchange e, Channel from, Object msg) {
        if (msg instanceof HttpResponse response && unreadable(response)) {
            String reason = "the response from " + e.pending.host() + " to a request that carried the credential "
                    + "came in Content-Encoding " + String.join(", ", response.headers().getAll(
                    HttpHeaderNames.CONTENT_ENCODING)) + " / Transfer-Encoding " + String.join(", ",
                    response.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING)) + ", which cannot be watched "
                    + "for it (identity was asked for); refused";
            ReferenceCountUtil.release(msg);
            return cut(e, from, msg, "deny", reason);
        }
        boolean carried = msg instanceof HttpResponse response && e.watch.seenIn(RequestText.headers(response.headers()));
        Object pass = msg;
        if (!carried && msg instanceof HttpContent content) {
            byte[] part = io.netty.buffer.ByteBufUtil.getBytes(content.content());
            byte[] now = e.watch.next(part);
            if (now == null || (msg instanceof LastHttpContent last
                    && e.watch.seenIn(RequestText.headers(last.trailingHeaders())))) {
                carried = true;
            } else if (msg instanceof LastHttpContent last) {
                byte[] rest = e.watch.rest();
                pass = new io.netty.handler.codec.http.DefaultLastHttpContent(
                        io.netty.buffer.Unpooled.wrappedBuffer(now, rest));
                ((LastHttpContent) pass).trailingHeaders().set(last.trailingHeaders());
            } else {
                pass = new io.netty.handler.codec.http.DefaultHttpContent(io.netty.buffer.Unpooled.wrappedBuffer(now));
            }
        }
        if (pass != msg || carried) {
            ReferenceCountUtil.release(msg);
        }
        if (!carried) {
            return pass;
        }
        return cut(e, from, msg, "alert", "the response from " + e.pending.host() + " carried the credential "
                + "injected into the request; cut off");
    }

    /**
     * Whether a response's content is in a coding the watch cannot read through: any content coding
     * but identity, in any of its headers, or a transfer coding but chunked (which the codec undoes).
     */
    private static boolean unreadable(HttpResponse response) {
        return codings(response, HttpHeaderNames.CONTENT_ENCODING).anyMatch(c -> !c.equals("identity"))
                || codings(response, HttpHeaderNames.TRANSFER_ENCODING).anyMatch(c -> !c.equals("chunked"));
    }

    private static java.util.stream.Stream<String> codings(HttpResponse response, CharSequence header) {
        return response.headers().getAll(header).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(c -> c.strip().toLowerCase(java.util.Locale.ROOT)).filter(c -> !c.isEmpty());
    }

    /** Cuts the response off: a 502 if nothing of it reached the guest yet, else the connection closes. */
    private Object cut(Exchange e, Channel from, Object msg, String verdict, String reason) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "request",
                e.method, e.pending.host(), e.pending.port(), e.path, verdict, "response", reason, e.status,
                e.bytesUp, e.bytesDown, (System.nanoTime() - e.started) / 1_000_000));
        exchange = null;
        upstream = null;
        from.close();
        if (msg instanceof HttpResponse) {
            Responses.send(client, HttpResponseStatus.BAD_GATEWAY, reason, true);
        } else {
            client.close();
        }
        return null;
    }

    /** The upstream accepted a WebSocket: both connections carry frames from now on, this forwarder is done. */
    private void upgrade(Exchange e, Channel from) {
        s.asks().hold(e.decision, client);
        audit(e, e.decision.verdict(), "websocket opened", e.status);
        exchange = null;
        upstream = null;
        CompiledPolicy policy = s.policy().get();
        String host = e.pending.host();
        // the upstream's frames are watched for the credential the handshake carried, as a response is
        Optional<FrameWatch> watch = e.decision.route().map(r -> new FrameWatch(new ResponseWatch(r.value().reveal()),
                () -> {
                    String reason = "a message from " + host + " carried the credential injected into the handshake;"
                            + " cut off";
                    Decision alert = Decision.alert("response", reason);
                    auditFrame(e, alert, alert.verdict(), reason);
                    WebSocketRelay.refuse(client, from, "the upstream sent the credential injected into the handshake");
                }));
        WebSocketUpgrade.switchProtocols(client, from, s.config().maxBodyBytes(), text -> {
            Optional<Decision> refused = policy.tripwire().check(text, host).map(t -> Decision.alert("tripwire", t));
            Optional<String> found = refused.isPresent() ? Optional.empty() : policy.scanner().scan(text);
            if (found.isPresent()) {
                Decision dlp = Decision.deny(Refusal.DLP, "dlp " + found.get(), "DLP pattern " + found.get() + " in a message");
                if (policy.dlpBlocks()) {
                    refused = Optional.of(dlp);
                } else {
                    auditFrame(e, dlp, "warn", dlp.reason());
                }
            }
            refused.ifPresent(d -> auditFrame(e, d, d.verdict(), d.reason()));
            return refused.map(Decision::reason);
        }, watch);
        client.config().setAutoRead(true);
        from.config().setAutoRead(true);
    }

    private void auditFrame(Exchange e, Decision d, String verdict, String reason) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "websocket",
                e.method, e.pending.host(), e.pending.port(), e.path, verdict, d.rule(), reason, 1008, 0, 0, 0));
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
            String reason = "the upstream " + e.pending.host() + ":" + e.pending.port()
                    + (UpstreamTrust.tlsFailure(cause).isPresent() ? " failed TLS" : " closed the connection")
                    + (cause != null ? ": " + UpstreamConnector.message(cause) : "");
            respondAndFinish(HttpResponseStatus.BAD_GATEWAY, reason, "error", reason, Refusal.NONE);
        } else {
            audit(e, "error", "the upstream closed mid-response", e.status);
            exchange = null;
            client.close();
        }
    }

    /** Receives the upstream's response parts and hands them to the forwarder. */
    private final class ResponseRelay extends ChannelInboundHandlerAdapter {
        private Throwable failure;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpObject) {
                onUpstream(ctx.channel(), msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onUpstreamGone(ctx.channel(), failure);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            ctx.close();
        }
    }

    private void prepareForUpstream(FullHttpRequest req, Pending p, String path) {
        req.setUri(path);
        for (String named : req.headers().getAll(HttpHeaderNames.CONNECTION)) {
            for (String option : named.split(",")) {
                if (!option.isBlank()) {
                    req.headers().remove(option.strip());
                }
            }
        }
        for (String hop : new String[] {"Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
                "Keep-Alive", "TE", "Trailer", "Upgrade", "Transfer-Encoding"}) {
            req.headers().remove(hop);
        }
        req.headers().remove(HttpHeaderNames.CONNECTION);
        // The upstream is told exactly the authority the decision was made on.
        boolean defaultPort = p.tls() ? p.port() == 443 : p.port() == 80;
        String name = p.host().contains(":") ? "[" + p.host() + "]" : p.host();
        req.headers().set(HttpHeaderNames.HOST, defaultPort ? name : name + ":" + p.port());
        HttpUtil.setContentLength(req, req.content().readableBytes());
        if (req.content().readableBytes() == 0 && !req.method().name().matches("POST|PUT|PATCH")) {
            req.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
    }

    /** {@code http://host:port/p?q} becomes {@code /p?q}. */
    static String originForm(String absolute) {
        int scheme = absolute.indexOf("://");
        if (scheme < 0) {
            return absolute.isEmpty() ? "/" : absolute;
        }
        int slash = absolute.indexOf('/', scheme + 3);
        int query = absolute.indexOf('?', scheme + 3);
        if (slash < 0 && query < 0) {
            return "/";
        }
        if (slash < 0 || (query >= 0 && query < slash)) {
            return "/" + absolute.substring(query);
        }
        return absolute.substring(slash);
    }

    private void audit(Exchange e, String verdict, String reason, int status) {
        s.audit().write(new AuditRecord(Instant.now(), s.config().slug(), RequestText.client(client), "request", e.method,
                e.pending.host(), e.pending.port(), e.path, verdict, e.decision.rule(), reason, status, e.bytesUp,
                e.bytesDown, (System.nanoTime() - e.started) / 1_000_000));
    }
}
