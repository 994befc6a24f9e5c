package dev.claudebottle.bundle.gateway;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway does with a connection or request.
 *
 * @param allowed   whether it may pass
 * @param rule      the rule that decided, e.g. {@code allow[2] api.github.com} or {@code default deny}
 * @param reason    why, in words, for the 403 body and the audit log (never a secret value)
 * @param intercept whether the TLS connection must be decrypted to apply method, path or route rules
 * @param reach     which addresses the host may resolve to
 * @param route     the route whose credential applies, if any
 * @param alert     whether this is a tripwire alert rather than a plain refusal
 * @param refusal   why it was refused, for the agent ({@link Refusal#NONE} when allowed)
 * @param pinned    the only addresses the host may be connected at, when a person approved it at
 *                  those (empty: any address {@code reach} allows)
 * @param grant     the request whose approval by a person allows it, if one does: a connection it
 *                  allows is closed when that approval is revoked
 */
public record Decision(boolean allowed, String rule, String reason, boolean intercept, Reach reach,
                       Optional<GatewayPolicy.Route> route, boolean alert, Refusal refusal,
                       Set<InetAddress> pinned, Optional<String> grant) {
    /** Requires every part. */
    public Decision {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reach, "reach");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(refusal, "refusal");
        pinned = Set.copyOf(pinned);
        Objects.requireNonNull(grant, "grant");
    }

    /** A pass. */
    public static Decision allow(String rule, boolean intercept, Reach reach, Optional<GatewayPolicy.Route> route) {
        return new Decision(true, rule, "allowed", intercept, reach, route, false, Refusal.NONE, Set.of(),
                Optional.empty());
    }

    /** A pass a person's approval of request {@code grant} gives, to the addresses they were shown and no others. */
    public static Decision granted(String rule, Reach reach, Set<InetAddress> pinned, String grant) {
        return new Decision(true, rule, "allowed", false, reach, Optional.empty(), false, Refusal.NONE, pinned,
                Optional.of(grant));
    }

    /** A refusal. */
    public static Decision deny(Refusal refusal, String rule, String reason) {
        return new Decision(false, rule, reason, false, Reach.PUBLIC, Optional.empty(), false, refusal, Set.of(),
                Optional.empty());
    }

    /** A refusal that is also an alert (tripwire). */
    public static Decision alert(String rule, String reason) {
        return new Decision(false, rule, reason, false, Reach.PUBLIC, Optional.empty(), true, Refusal.TRIPWIRE, Set.of(),
                Optional.empty());
    }

    /** The audit word: {@code allow}, {@code deny} or {@code alert}. */
    public String verdict() {
        return alert ? "alert" : allowed ? "allow" : "deny";
    }
}
