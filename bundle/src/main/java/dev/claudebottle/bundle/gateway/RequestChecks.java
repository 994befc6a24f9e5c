package dev.claudebottle.bundle.gateway;

import dev.claudebottle.contract.RequestPath;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The checks a guest's request meets before it goes upstream, in order: its target names only the
 * authority decided on; its path is unambiguous where paths decide; its method does not echo the
 * request back; the rules allow it, or a person does where one may be asked (the tripwire and DLP
 * look first then, as a request they refuse is not worth a question); a route's credential goes
 * only over TLS; and the tripwire and DLP pass its content, a large body scanned off the event
 * loop. How each request ends is told to the guest connection's forwarder, on its event loop.
 */
final class RequestChecks {
    /** What the audit log gets for a path that may hold a secret. */
    private static final String REDACTED = "[redacted]";
    /** Requests whose headers and body together are no larger are scanned on the event loop itself. */
    private static final int INLINE_SCAN_BYTES = 64 * 1024;

    /** What the forwarder does with a request as its checks go. */
    interface Outcome {
        /** The request stands as {@code e} from now on: it is the exchange in force while a check takes its time. */
        void stand(Exchange e);

        /** Whether {@code e} is still the exchange in force, when a check comes back to it. */
        boolean stands(Exchange e);

        /** The request is refused, standing as {@code e}: it is released, and the guest gets {@code text}. */
        void refused(Exchange e, HttpResponseStatus status, String text);

        /** The request, standing as {@code e}, passed: it goes upstream, {@code warning} logged if there is one. */
        void passed(Exchange e, Optional<RequestInspection.Finding> warning);

        /** The gateway answers the request, standing as {@code e}, itself: it is released, the guest gets {@code json}. */
        void answered(Exchange e, HttpResponseStatus status, String json, String reason);
    }

    private final GatewayServices s;
    private final Channel client;
    private final Outcome outcome;

    RequestChecks(GatewayServices services, Channel client, Outcome outcome) {
        this.s = services;
        this.client = client;
        this.outcome = outcome;
    }

    /** Checks {@code p}, whose request is taken over; the outcome hears how it ends, at once or later. */
    void check(GuestRequest p) {
        FullHttpRequest req = p.http();
        CompiledPolicy policy = s.policy().get();
        String method = req.method().name();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        long bytesUp = req.content().readableBytes();
        String target;
        try {
            target = RequestTarget.originForm(req, p.host(), p.port(), p.tls());
        } catch (RequestTarget.Refused e) {
            Decision bad = Decision.deny(Refusal.PROTOCOL, "protocol", e.getMessage());
            String logged = p.tls() ? "" : RequestTarget.originForm(req.uri());
            outcome.refused(new Exchange(p, method, logged, bad, false, bytesUp), HttpResponseStatus.BAD_REQUEST,
                    e.getMessage());
            return;
        }
        // Where paths decide, what was checked is what goes upstream.
        Optional<String> normal = policy.rules().pathsDecide(p.host(), p.port()) ? RequestPath.normalise(target)
                : Optional.of(target);
        String path = normal.orElse(REDACTED);
        if (normal.isEmpty()) {
            Decision ambiguous = Decision.deny(Refusal.PROTOCOL, "protocol", "an ambiguous path (an encoded / or \\,"
                    + " a backslash, or a doubly encoded dot) where paths decide");
            outcome.refused(new Exchange(p, method, REDACTED, ambiguous, keepAlive, bytesUp),
                    HttpResponseStatus.BAD_REQUEST, ambiguous.reason());
            return;
        }
        Optional<SignInCredential> signIn = SignInAnswer.of(policy);
        if (signIn.isPresent() && SignInAnswer.asks(method, p.host(), p.port(), p.tls(), path)) {
            // the guest's refresh carries its sentinel, which goes nowhere: the gateway answers it
            answerSignIn(p, signIn.get(), new Exchange(p, method, path, Decision.allow("sign-in", true, Reach.PUBLIC,
                    Optional.empty()), keepAlive, bytesUp));
            return;
        }
        if (method.equals("TRACE") || method.equals("TRACK")) {
            // The upstream would echo the request back, the injected credential with it.
            Decision echo = Decision.deny(Refusal.PROTOCOL, "protocol",
                    method + " is refused: it echoes the request back");
            outcome.refused(new Exchange(p, method, path, echo, keepAlive, bytesUp),
                    HttpResponseStatus.METHOD_NOT_ALLOWED, echo.reason());
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
            refused(new Exchange(p, method, path, ruled, keepAlive, bytesUp), early.get());
            return;
        }
        // A person may be asked: the guest's connection waits, reading nothing more, meanwhile.
        Exchange asking = new Exchange(p, method, path, ruled, keepAlive, bytesUp);
        outcome.stand(asking);
        CompletableFuture<Decision> deciding = s.asks().decide(ruled, policy, p.host(), p.port(), method, path,
                WebSocketUpgrade.requested(req));
        Waiting waiting = new Waiting(client, req);
        Runnable go = () -> {
            if (!waiting.over()) {
                return;
            }
            if (!outcome.stands(asking) || !client.isActive() || deciding.isCompletedExceptionally()) {
                ReferenceCountUtil.safeRelease(req);
                client.close();
                return;
            }
            decided(p, policy, method, path, keepAlive, bytesUp, deciding.join());
        };
        if (deciding.isDone()) {
            go.run();
        } else {
            // a guest that goes while its question waits takes its request with it, whenever the answer comes
            waiting.untilClosed();
            deciding.whenComplete((d, failed) -> later(go));
        }
    }

    /** Runs {@code task} on the guest connection's loop; a loop that stopped has nothing left to run it for. */
    private void later(Runnable task) {
        try {
            client.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the gateway stops: its connections are closed, and each waiting request let go with its own
        }
    }

    /**
     * A guest's request waiting on the guest connection's loop for an answer from elsewhere: either the
     * answer takes it over or the connection's end lets it go, whichever comes first, exactly once.
     */
    private static final class Waiting {
        private final Channel client;
        private final FullHttpRequest request;
        private final io.netty.channel.ChannelFutureListener onClose = closed -> letGo();
        private boolean over;
        private boolean watching;

        Waiting(Channel client, FullHttpRequest request) {
            this.client = client;
            this.request = request;
        }

        /** Lets the request go if the connection closes first. */
        void untilClosed() {
            watching = true;
            client.closeFuture().addListener(onClose);
        }

        /** Whether the answer may take the request: it was not let go before. Either way, the wait is over. */
        boolean over() {
            boolean first = !over;
            over = true;
            if (watching) {
                // a long-lived connection collects no listener per request it made
                watching = false;
                client.closeFuture().removeListener(onClose);
            }
            return first;
        }

        private void letGo() {
            if (over()) {
                ReferenceCountUtil.safeRelease(request);
            }
        }
    }

    private void answerSignIn(GuestRequest p, SignInCredential signIn, Exchange e) {
        outcome.stand(e);
        // the body is read first, while the request is surely held
        CompletableFuture<SignInAnswer.Answer> answer = SignInAnswer.answer(p.http(), signIn, java.time.Clock.systemUTC());
        Waiting waiting = new Waiting(client, p.http());
        if (!answer.isDone()) {
            waiting.untilClosed();
        }
        answer.whenComplete((a, failed) -> later(() -> {
            if (!waiting.over()) {
                return;
            }
            if (!outcome.stands(e) || !client.isActive() || failed != null) {
                ReferenceCountUtil.safeRelease(p.http());
                client.close();
                return;
            }
            outcome.answered(e, a.status(), a.json(), a.reason());
        }));
    }

    /** Goes on with a request once the rules, or a person, decided. */
    private void decided(GuestRequest p, CompiledPolicy policy, String method, String path, boolean keepAlive,
                         long bytesUp, Decision decided) {
        FullHttpRequest req = p.http();
        Decision decision = decided.route().filter(r -> !p.tls() && !r.plainHttp()).isPresent()
                ? Decision.deny(Refusal.PROTOCOL, decided.rule(), "the credential for " + p.host()
                        + " goes only over TLS: use https://, or let the route opt in with plain_http")
                : decided;
        Exchange e = new Exchange(p, method, path, decision, keepAlive, bytesUp);
        outcome.stand(e);
        if (!decision.allowed()) {
            outcome.refused(e, HttpResponseStatus.FORBIDDEN, Responses.blocked(decision));
            return;
        }
        String headers = RequestText.headers(req);
        byte[] body = ByteBufUtil.getBytes(req.content());
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (body.length + headers.length() <= INLINE_SCAN_BYTES) {
            inspected(e, RequestInspection.inspect(policy, p.host(), path, headers, body, encoding,
                    s.config().maxBodyBytes()));
            return;
        }
        // A large body is scanned off the event loop: the guest's other connections go on meanwhile.
        s.scanning().execute(() -> {
            Optional<RequestInspection.Finding> finding = RequestInspection.inspect(policy, p.host(), path, headers,
                    body, encoding, s.config().maxBodyBytes());
            client.eventLoop().execute(() -> inspected(e, finding));
        });
    }

    /** Goes on with a request once its content was inspected: refused, or passed. */
    private void inspected(Exchange e, Optional<RequestInspection.Finding> finding) {
        if (!outcome.stands(e) || !client.isActive()) {
            ReferenceCountUtil.safeRelease(e.request.http());
            return;
        }
        if (finding.isPresent() && finding.get().refuses()) {
            refused(e, finding.get());
            return;
        }
        outcome.passed(e, finding);
    }

    /** Refuses the request that stood as {@code e} for what the inspection found in it. */
    private void refused(Exchange e, RequestInspection.Finding f) {
        // A path that may carry the secret gets no part of it into the audit log.
        outcome.refused(e.decidedAgain(f.redact() ? REDACTED : e.path, f.decision()), f.status(),
                f.status().code() == 403 ? Responses.blocked(f.decision()) : f.decision().reason());
    }
}
