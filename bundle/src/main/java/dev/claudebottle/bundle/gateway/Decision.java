package dev.claudebottle.bundle.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway does with a connection or request.
 *
 * @param allowed      whether it may pass
 * @param rule         the rule that decided, e.g. {@code allow[2] api.github.com} or {@code default deny}
 * @param reason       why, in words, for the 403 body and the audit log (never a secret value)
 * @param intercept    whether the TLS connection must be decrypted to apply method, path or route rules
 * @param allowPrivate whether the host may resolve to a private address
 * @param route        the route whose credential applies, if any
 * @param alert        whether this is a tripwire alert rather than a plain refusal
 */
public record Decision(boolean allowed, String rule, String reason, boolean intercept, boolean allowPrivate,
                       Optional<GatewayPolicy.Route> route, boolean alert) {
    /** Requires every part. */
    public Decision {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(route, "route");
    }

    /** A refusal. */
    public static Decision deny(String rule, String reason) {
        return new Decision(false, rule, reason, false, false, Optional.empty(), false);
    }

    /** A refusal that is also an alert (tripwire). */
    public static Decision alert(String rule, String reason) {
        return new Decision(false, rule, reason, false, false, Optional.empty(), true);
    }

    /** The audit word: {@code allow}, {@code deny} or {@code alert}. */
    public String verdict() {
        return alert ? "alert" : allowed ? "allow" : "deny";
    }
}
