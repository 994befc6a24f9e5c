package dev.claudebottle.bundle.gateway;

import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.spi.bundle.ApprovalQueueFiles;
import dev.claudebottle.spi.bundle.BundleLayout;
import dev.claudebottle.spi.bundle.PolicyFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a request to a host no rule covers gets beyond the rules ({@code egress.unknown}): with
 * {@code ask} it waits while a person decides through the approval queue; with {@code learn} it
 * passes. A grant covers one host and port, never a pattern; what a person refused stays refused
 * for the bottle; requests to one host while its question is open share the answer; at most
 * {@link #MAX_OPEN} questions are open at once. A host that resolves to loopback, link-local
 * (cloud metadata) or another address no private network has is never asked about, and a granted
 * host is still refused those addresses at every connection. A grant keeps the kind of address the
 * person was shown: a host that resolved to public addresses only may not later resolve into a
 * private network (DNS rebinding).
 */
final class EgressAsks implements AutoCloseable {
    /** Questions open at once, beyond which an unknown host is refused without asking. */
    static final int MAX_OPEN = 8;
    private static final Duration POLL = Duration.ofMillis(200);
    /** Who asks, in the record's approval lines. */
    private static final String ASKER = "egress.unknown: ask";
    private static final int MAX_SHOWN_PATH = 200;
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    private final Optional<ApprovalQueue> queue;
    private final HostResolver resolver;
    private final AuditLog audit;
    private final String slug;
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "egress-ask");
        t.setDaemon(true);
        return t;
    });
    private final Map<HostPort, Reach> granted = new ConcurrentHashMap<>();
    private final Set<HostPort> refused = ConcurrentHashMap.newKeySet();
    private final Map<HostPort, CompletableFuture<Decision>> open = new ConcurrentHashMap<>();

    /** Asks through {@code queue}, when the bundle has one, writing each question and answer to {@code audit}. */
    EgressAsks(Optional<ApprovalQueue> queue, HostResolver resolver, AuditLog audit, String slug) {
        this.queue = queue;
        this.resolver = resolver;
        this.audit = audit;
        this.slug = slug;
    }

    /** Whether {@link #decide} may turn this refusal of the rules into something else. */
    boolean mayChange(Decision ruled, CompiledPolicy policy, String host) {
        return !ruled.allowed() && ruled.refusal() == Refusal.UNKNOWN_HOST
                && !policy.source().unknown().equals(PolicyFile.DENY) && !host.equals(BundleLayout.PROBE_HOST);
    }

    /**
     * The final decision for what the rules decided: the rules' own unless they refused an unknown
     * host and the policy asks or learns. Completes on a thread of its own when a person is asked.
     */
    CompletableFuture<Decision> decide(Decision ruled, CompiledPolicy policy, String host, int port, String method,
                                       String path) {
        if (!mayChange(ruled, policy, host)) {
            return CompletableFuture.completedFuture(ruled);
        }
        if (policy.source().unknown().equals(PolicyFile.LEARN)) {
            return CompletableFuture.completedFuture(Decision.allow("egress.unknown: learn", true,
                    Reach.PRIVATE_NETWORKS, Optional.empty()));
        }
        HostPort target = new HostPort(host, port);
        Reach grantedReach = granted.get(target);
        if (grantedReach != null) {
            return CompletableFuture.completedFuture(grant(target, "granted earlier", grantedReach));
        }
        if (refused.contains(target)) {
            return CompletableFuture.completedFuture(Decision.deny(Refusal.PERSON, "egress.unknown: ask",
                    "a person refused " + target.host() + ":" + target.port() + " for this bottle"));
        }
        if (queue.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.deny(Refusal.NO_QUEUE, "egress.unknown: ask",
                    ruled.reason() + ", and this bundle has no approval queue to ask through"));
        }
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        synchronized (open) {
            CompletableFuture<Decision> asked = open.get(target);
            if (asked != null) {
                return asked;
            }
            if (open.size() >= MAX_OPEN) {
                return CompletableFuture.completedFuture(Decision.deny(Refusal.BUSY, "egress.unknown: ask",
                        ruled.reason() + ", and " + MAX_OPEN + " questions already wait for a person"));
            }
            open.put(target, answer);
        }
        waiting.execute(() -> {
            try {
                answer.complete(ask(ruled, target, method, path, policy.source().askTimeout()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.complete(Decision.deny(Refusal.EXPIRED, "egress.unknown: ask", "the gateway stopped asking"));
            } catch (Exception e) {
                answer.complete(Decision.deny(Refusal.NO_QUEUE, "egress.unknown: ask", ruled.reason()
                        + ", and the approval queue failed: " + e.getMessage()));
            } finally {
                synchronized (open) {
                    open.remove(target, answer);
                }
            }
        });
        return answer;
    }

    private Decision ask(Decision ruled, HostPort target, String method, String path, Duration timeout)
            throws Exception {
        List<InetAddress> addresses;
        try {
            // an address literal is its own answer; a resolver is asked only for names
            addresses = LITERAL.matcher(target.host()).matches() || target.host().contains(":")
                    ? List.of(InetAddress.getByName(target.host())) : resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            return Decision.deny(Refusal.UNKNOWN_HOST, ruled.rule(), ruled.reason()
                    + ", and it does not resolve, so nobody was asked");
        }
        Optional<String> unreachable = SsrfGuard.refusal(target.host(), addresses, Reach.PRIVATE_NETWORKS);
        if (unreachable.isPresent()) {
            return Decision.deny(Refusal.SSRF, "ssrf", unreachable.get() + "; nobody was asked");
        }
        boolean privateNetwork = SsrfGuard.refusal(target.host(), addresses, Reach.PUBLIC).isPresent();
        // what the person is shown is what the grant reaches
        Reach reach = privateNetwork ? Reach.PRIVATE_NETWORKS : Reach.PUBLIC;
        String where = target.host() + ":" + target.port();
        String shown = shown(path);
        String title = "egress to " + where + (shown.isEmpty() ? " (" + method + ")" : " (" + method + " " + shown + ")");
        String details = "The agent's request to " + where + " matches no egress rule of this bottle. It resolves to "
                + String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList())
                + (privateNetwork ? " (a private-network address)" : "") + ". Approve to let this request through "
                + "(--scope request) or every request to " + where + " from this bottle (--scope bottle, the "
                + "default; --scope manifest also saves it into the manifest).";
        ApprovalQueue.Pending pending = queue.orElseThrow().submit(title, details, "egress",
                Optional.of(where), timeout);
        audit.write(AuditRecord.approval(slug, "request", ASKER, pending.id(), pending.resumed() ? "resumed"
                : "pending", title));
        ApprovalQueue.Outcome outcome = queue.orElseThrow().await(pending, POLL);
        audit.write(AuditRecord.approval(slug, "decision", ASKER, pending.id(), outcome.state(),
                AuditRecord.decided(outcome.by(), outcome.decidedAt(), outcome.scope(), outcome.reason())));
        if (outcome.approved()) {
            if (!outcome.scope().equals(ApprovalQueueFiles.SCOPE_REQUEST)) {
                granted.put(target, reach);
            }
            return grant(target, "request " + pending.id() + ", scope " + outcome.scope(), reach);
        }
        if (outcome.state().equals(ApprovalQueueFiles.DENIED)) {
            refused.add(target);
            return Decision.deny(Refusal.PERSON, "egress.unknown: ask", "a person refused " + where
                    + (outcome.reason().isBlank() ? "" : ": " + outcome.reason()) + " (request " + pending.id() + ")");
        }
        return Decision.deny(Refusal.EXPIRED, "egress.unknown: ask", "nobody decided on " + where + " within "
                + timeout.toSeconds() + "s (request " + pending.id() + "); a timeout is a refusal");
    }

    private static Decision grant(HostPort target, String how, Reach reach) {
        return Decision.allow("granted by a person: " + target.host() + ":" + target.port() + " (" + how + ")",
                false, reach, Optional.empty());
    }

    /** The path a person is shown: no query, which may carry anything, and not too long. */
    private static String shown(String path) {
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        return p.length() > MAX_SHOWN_PATH ? p.substring(0, MAX_SHOWN_PATH) + "…" : p;
    }

    @Override
    public void close() {
        waiting.shutdownNow();
    }
}
