package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.spi.manifest.UnknownAction;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.bundle.trust.EncodedViews;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.Wire;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.PolicyFile;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a request to a host no rule covers gets beyond the rules ({@code egress.unknown}): with
 * {@code ask} it waits while a person decides through the approval queue; with {@code learn} it
 * passes to public addresses.
 *
 * <p>A question grants exactly what it shows: one host and port, the request that asked, and the
 * addresses the host resolved to. Approved for that request only, it lets through requests that
 * show the same; others waiting on it are asked about in turn. Approved for the bottle, it covers
 * every request to that host and port, at public addresses if it resolved publicly, or at the very
 * addresses shown if they were private, until a person revokes it. A host is kept under one
 * spelling ({@link AskedName#canonical}): what a person refused stays refused for the bottle at
 * every port, and a host nobody answered about is not asked about again for a while. At most
 * {@link #MAX_OPEN} questions are open at once. Only plausible names are looked up before a person
 * answers, within a {@link LookupBudget}; a host that resolves to loopback, link-local (cloud
 * metadata) or another address no private network has is never asked about.
 */
final class EgressAsks implements AutoCloseable {
    /** Questions open at once, beyond which an unknown host is refused without asking. */
    static final int MAX_OPEN = 8;
    /** The least time a host nobody answered about is refused without a new question. */
    static final Duration QUIET_AFTER_EXPIRY = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Who asks, in the record's approval lines. */
    private static final String ASKER = "egress.unknown: ask";
    private static final int MAX_SHOWN_PATH = 200;
    /** How soon a revocation closes what the grant let open. */
    private static final Duration REVOCATION_POLL = Duration.ofSeconds(1);
    private final Optional<ApprovalQueue> queue;
    private final HostResolver resolver;
    private final AuditLog audit;
    private final String slug;
    private final Clock clock;
    private final LookupBudget lookups;
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "egress-ask");
        t.setDaemon(true);
        return t;
    });
    private final Map<HostPort, Grant> granted = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> quiet = new ConcurrentHashMap<>();
    private final Map<HostPort, Asked> open = new ConcurrentHashMap<>();
    /** The connections a grant let open that outlive a request (tunnels, WebSockets), by the grant's request. */
    private final Map<String, Set<Channel>> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService revocations = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "egress-revocations");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean();
    /** Requests waiting on an open question that shows another request. */
    private final java.util.concurrent.atomic.AtomicInteger behind = new java.util.concurrent.atomic.AtomicInteger();

    /** An approval for the bottle: where the host may be reached, and the request that was approved. */
    private record Grant(Reach reach, Set<InetAddress> pinned, String requestId) {
    }

    /** An open question and the request it shows. */
    private record Asked(CompletableFuture<Answer> answer, String shown) {
    }

    /**
     * A person's answer, or the lack of one, as it applies to requests.
     *
     * @param decision  the decision for the request shown
     * @param forBottle whether it applies to every request to the host and port (an approval for the
     *                  bottle, and every refusal), not just to requests that show the same
     * @param shown     the request the question showed
     */
    private record Answer(Decision decision, boolean forBottle, String shown) {
        boolean covers(String request) {
            return forBottle || shown.equals(request);
        }
    }

    /** Asks through {@code queue}, when the bundle has one, writing each question and answer to {@code audit}. */
    EgressAsks(Optional<ApprovalQueue> queue, HostResolver resolver, AuditLog audit, String slug) {
        this(queue, resolver, audit, slug, Clock.systemUTC());
    }

    EgressAsks(Optional<ApprovalQueue> queue, HostResolver resolver, AuditLog audit, String slug, Clock clock) {
        this.queue = queue;
        this.resolver = resolver;
        this.audit = audit;
        this.slug = slug;
        this.clock = clock;
        this.lookups = new LookupBudget(clock);
    }

    /** Whether {@link #decide} may turn this refusal of the rules into something else. */
    boolean mayChange(Decision ruled, CompiledPolicy policy, String host) {
        return !ruled.allowed() && ruled.refusal() == Refusal.UNKNOWN_HOST
                && policy.source().unknown() != UnknownAction.DENY && !host.equals(BundleLayout.PROBE_HOST);
    }

    /**
     * The final decision for what the rules decided: the rules' own unless they refused an unknown
     * host and the policy asks or learns. Completes on a thread of its own when a person is asked.
     */
    CompletableFuture<Decision> decide(Decision ruled, CompiledPolicy policy, String host, int port, String method,
                                       String path) {
        return decide(ruled, policy, host, port, method, path, false);
    }

    /**
     * As {@link #decide(Decision, CompiledPolicy, String, int, String, String)}, for a request that
     * opens a WebSocket when {@code websocket}: a question about it says so, and covers only such
     * a request.
     */
    CompletableFuture<Decision> decide(Decision ruled, CompiledPolicy policy, String host, int port, String method,
                                       String path, boolean websocket) {
        if (!mayChange(ruled, policy, host)) {
            return CompletableFuture.completedFuture(ruled);
        }
        if (policy.source().unknown() == UnknownAction.LEARN) {
            // learning is not a grant: private, loopback and link-local addresses stay out of reach
            return CompletableFuture.completedFuture(Decision.allow("egress.unknown: learn", true, Reach.PUBLIC,
                    Optional.empty()));
        }
        String name = AskedName.canonical(host);
        HostPort target = new HostPort(name, port);
        if (refused.contains(name)) {
            return done(Decision.deny(Refusal.PERSON, ASKER, "a person refused " + name + " for this bottle"));
        }
        Grant grant = granted.get(target);
        if (grant != null && queue.isPresent() && queue.get().revoked(grant.requestId())) {
            withdraw(grant.requestId());
            grant = null;
        }
        if (grant != null) {
            return done(grant(target, "request " + grant.requestId() + ", granted earlier", grant));
        }
        Instant until = quiet.get(name);
        if (until != null && clock.instant().isBefore(until)) {
            return done(Decision.deny(Refusal.EXPIRED, ASKER, "nobody answered about " + name + " a moment ago; it "
                    + "is not asked about again before " + until));
        }
        if (queue.isEmpty()) {
            return done(Decision.deny(Refusal.NO_QUEUE, ASKER, ruled.reason()
                    + ", and this bundle has no approval queue to ask through"));
        }
        String shownPath = shownPath(policy, path);
        // what an answer covers is the request as it is, query and all, not as it is shown
        String shown = method + " " + path + (websocket ? " websocket" : "");
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        synchronized (open) {
            Asked asked = open.get(target);
            if (asked != null) {
                // the open question may show another request: its answer covers this one only if it says so
                behind.incrementAndGet();
                return asked.answer().whenComplete((a, e) -> behind.decrementAndGet())
                        .thenCompose(a -> a.covers(shown) ? done(a.decision())
                                : decide(ruled, policy, host, port, method, path, websocket));
            }
            if (open.size() >= MAX_OPEN) {
                return done(Decision.deny(Refusal.BUSY, ASKER, ruled.reason() + ", and " + MAX_OPEN
                        + " questions already wait for a person"));
            }
            open.put(target, new Asked(answer, shown));
        }
        waiting.execute(() -> {
            Answer a;
            try {
                a = ask(ruled, target, method, shownPath, queryBytes(path), websocket, shown, policy);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                a = new Answer(Decision.deny(Refusal.EXPIRED, ASKER, "the gateway stopped asking"), true, shown);
            } catch (Exception e) {
                a = new Answer(Decision.deny(Refusal.NO_QUEUE, ASKER, ruled.reason()
                        + ", and the approval queue failed: " + e.getMessage()), true, shown);
            }
            // closed before it is answered, so that a request asked about anew opens a question of its own
            synchronized (open) {
                open.values().removeIf(asked -> asked.answer() == answer);
            }
            answer.complete(a);
        });
        return answer.thenApply(Answer::decision);
    }

    private Answer ask(Decision ruled, HostPort target, String method, String shownPath, int queryBytes,
                       boolean websocket, String shown, CompiledPolicy policy) throws Exception {
        Duration timeout = policy.source().askTimeout();
        String name = target.host();
        boolean literal = AskedName.literal(name);
        // a literal needs no lookup, but is a new question all the same: it counts against the budget
        Optional<String> notLookedUp = (literal ? Optional.<String>empty() : AskedName.implausible(name)
                .map(why -> "its name is not one a person is asked about (" + why + ")"))
                .or(() -> lookups.take(name));
        if (notLookedUp.isPresent()) {
            return new Answer(Decision.deny(Refusal.UNKNOWN_HOST, ruled.rule(), ruled.reason() + ", and "
                    + notLookedUp.get() + "; nothing was looked up and nobody was asked"), true, shown);
        }
        List<InetAddress> addresses;
        try {
            addresses = literal ? List.of(AskedName.address(name).orElseThrow(() -> new UnknownHostException(name)))
                    : resolver.resolve(name);
        } catch (UnknownHostException e) {
            return new Answer(Decision.deny(Refusal.UNKNOWN_HOST, ruled.rule(), ruled.reason()
                    + ", and it does not resolve, so nobody was asked"), true, shown);
        }
        Optional<String> unreachable = SsrfGuard.refusal(name, addresses, Reach.PRIVATE_NETWORKS);
        if (unreachable.isPresent()) {
            return new Answer(Decision.deny(Refusal.SSRF, "ssrf", unreachable.get() + "; nobody was asked"), true,
                    shown);
        }
        boolean privateNetwork = SsrfGuard.refusal(name, addresses, Reach.PUBLIC).isPresent();
        var egress = new ApprovalQueueFiles.Egress(name, target.port(), method, shownPath,
                addresses.stream().map(InetAddress::getHostAddress).toList(), privateNetwork, queryBytes, websocket);
        String where = egress.where();
        String title = "egress to " + where + (shownPath.isEmpty() ? " (" + method + ")" : " (" + method + " "
                + shownPath + (queryBytes > 0 ? "?…" : "") + (websocket ? ", WebSocket" : "") + ")");
        String details = "The agent's request " + egress.request() + " matches no egress rule of this bottle. "
                + name + " " + egress.resolved() + ". Approve to let this request through (--scope request), or "
                + "every request to " + where + " from this bottle (--scope bottle, the default; --scope manifest "
                + "also saves it into the manifest), " + (privateNetwork ? "at these addresses only."
                        : "at public addresses only.") + policy.source().upstreamProxy().map(java.net.URI::create)
                        .map(proxy -> " The gateway reaches it through the upstream proxy " + proxy.getHost() + ":"
                        + proxy.getPort() + ", sent the address the gateway looked up and checked.").orElse("");
        ApprovalQueue.Pending pending = queue.orElseThrow().submit(new ApprovalQueue.Question(
                ApprovalQueueFiles.Asker.GATEWAY, title, details, "egress", Optional.of(where), Optional.of(egress)),
                timeout);
        audit.write(AuditRecord.approval(slug, "request", ASKER, pending.id(), pending.resumed() ? "resumed"
                : "pending", title + ", " + egress.resolved()));
        ApprovalQueue.Outcome outcome = queue.orElseThrow().await(pending, POLL);
        audit.write(AuditRecord.approval(slug, "decision", ASKER, pending.id(), Wire.name(outcome.state()),
                AuditRecord.decided(Wire.name(outcome.by()), outcome.decidedAt(),
                        Wire.name(outcome.scope()), outcome.reason())));
        if (outcome.approved()) {
            // what the person was shown is what the grant reaches
            Grant grant = new Grant(privateNetwork ? Reach.PRIVATE_NETWORKS : Reach.PUBLIC,
                    privateNetwork ? Set.copyOf(addresses) : Set.of(), pending.id());
            boolean forBottle = outcome.scope() != ApprovalQueueFiles.Scope.REQUEST;
            if (forBottle) {
                granted.put(target, grant);
            }
            return new Answer(grant(target, "request " + pending.id() + ", scope " + Wire.name(outcome.scope()), grant),
                    forBottle, shown);
        }
        if (outcome.state() == ApprovalQueueFiles.State.DENIED) {
            refused.add(name);
            return new Answer(Decision.deny(Refusal.PERSON, ASKER, "a person refused " + where
                    + (outcome.reason().isBlank() ? "" : ": " + outcome.reason()) + " (request " + pending.id() + ")"),
                    true, shown);
        }
        Duration rest = timeout.compareTo(QUIET_AFTER_EXPIRY) > 0 ? timeout : QUIET_AFTER_EXPIRY;
        quiet.put(name, clock.instant().plus(rest));
        return new Answer(Decision.deny(Refusal.EXPIRED, ASKER, "nobody decided on " + where + " within "
                + timeout.toSeconds() + "s (request " + pending.id() + "); a timeout is a refusal"), true, shown);
    }

    private static Decision grant(HostPort target, String how, Grant grant) {
        return Decision.granted("granted by a person: " + target.host() + ":" + target.port() + " (" + how + ")",
                grant.reach(), grant.pinned(), grant.requestId());
    }

    /**
     * Keeps {@code channel}, which {@code decision} let open, to close when a person revokes the
     * approval behind it: a tunnel or a WebSocket does not outlive the grant it was opened under.
     */
    void hold(Decision decision, Channel channel) {
        if (decision.grant().isEmpty() || queue.isEmpty()) {
            return;
        }
        String id = decision.grant().get();
        Set<Channel> channels = held.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        channels.add(channel);
        channel.closeFuture().addListener(f -> channels.remove(channel));
        if (watching.compareAndSet(false, true)) {
            revocations.scheduleWithFixedDelay(this::closeRevoked, REVOCATION_POLL.toMillis(),
                    REVOCATION_POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeRevoked() {
        for (String id : List.copyOf(held.keySet())) {
            if (queue.orElseThrow().revoked(id)) {
                withdraw(id);
            }
        }
    }

    /** Ends a revoked grant: later requests are asked about again, and what it let open is closed. */
    private void withdraw(String id) {
        boolean ended = granted.values().removeIf(g -> g.requestId().equals(id));
        Set<Channel> channels = held.remove(id);
        int closed = channels == null ? 0 : channels.size();
        if (channels != null) {
            channels.forEach(Channel::close);
        }
        if (ended || closed > 0) {
            audit.write(AuditRecord.approval(slug, "revocation", ASKER, id, "revoked", "a person revoked the "
                    + "approval of request " + id + "; " + closed + " connection(s) it let open were closed"));
        }
    }

    /** How many requests wait on an open question that shows another request: a test waits for them to answer. */
    int waitingBehind() {
        return behind.get();
    }

    private static int queryBytes(String path) {
        int q = path.indexOf('?');
        return q < 0 ? 0 : path.length() - q - 1;
    }

    private static CompletableFuture<Decision> done(Decision d) {
        return CompletableFuture.completedFuture(d);
    }

    /**
     * The path a person is shown: no query, which may carry anything, not too long, and withheld
     * when it holds what DLP takes for a secret (the question, its file and the record keep it).
     */
    private static String shownPath(CompiledPolicy policy, String path) {
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        Optional<String> secret = policy.scanner().scan(p).or(() -> policy.scanner()
                .scan(EncodedViews.percentDecoded(p)));
        if (secret.isPresent()) {
            return "/[path withheld: it holds what looks like a " + secret.get() + "]";
        }
        return p.length() > MAX_SHOWN_PATH ? p.substring(0, MAX_SHOWN_PATH) + "…" : p;
    }

    @Override
    public void close() {
        revocations.shutdownNow();
        waiting.shutdownNow();
    }
}
