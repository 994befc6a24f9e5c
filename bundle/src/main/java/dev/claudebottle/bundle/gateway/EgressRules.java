package dev.claudebottle.bundle.gateway;

import dev.claudebottle.contract.EgressPresets;
import dev.claudebottle.contract.PolicyRules;
import java.util.List;
import java.util.Optional;

/**
 * Default deny, as the gateway enforces it: the policy's {@link PolicyRules} verdict as a
 * {@link Decision}, with the route whose credential to inject and how far the host may reach.
 */
public final class EgressRules {
    private final GatewayPolicy policy;
    private final PolicyRules rules;

    /** Rules of one policy. */
    public EgressRules(GatewayPolicy policy) {
        this.policy = policy;
        this.rules = new PolicyRules(policy.allow(), policy.routes().stream().map(GatewayPolicy.Route::where).toList());
    }

    /**
     * The decision for a CONNECT (or the connection part of a plain HTTP request). Where a route
     * uses a sign-in, its token endpoint is intercepted, so that the gateway answers the guest's
     * refresh itself; its other requests meet the rules as any host's do.
     */
    public Decision connect(String host, int port) {
        Decision ruled = decision(rules.connect(host, port), Optional.empty(), host, port, Optional.empty());
        if (port != 443 || !host.equals(SignInEndpoint.HOST) || ruled.intercept()
                || policy.routes().stream().noneMatch(GatewayPolicy.Route::signIn)) {
            return ruled;
        }
        // allowed or not, the endpoint is read into: a tunnel would carry the guest's refresh past the gateway
        return ruled.allowed() ? Decision.allow(ruled.rule(), true, ruled.reach(), ruled.route())
                : Decision.allow("sign-in", true, Reach.PUBLIC, Optional.empty());
    }

    /** The decision for one request, with the route whose credential to inject. */
    public Decision request(String method, String host, int port, String path) {
        return decision(rules.request(method, host, port, path), Optional.of(method), host, port, Optional.of(path));
    }

    /** Whether a path decides anything on this host and port: a path rule, or a route, covers it. */
    public boolean pathsDecide(String host, int port) {
        return rules.pathsDecide(host, port);
    }

    /**
     * The verdict as a decision; a refusal says which presets the bottle does not name would have
     * allowed it, so that the agent can tell its person what to add.
     */
    private Decision decision(PolicyRules.Verdict v, Optional<String> method, String host, int port,
                              Optional<String> path) {
        if (!v.allowed()) {
            List<String> would = EgressPresets.thatWouldAllow(method, host, port, path, rules.presets());
            return Decision.deny(switch (v.why()) {
                case PORT -> Refusal.PORT;
                case METHOD -> Refusal.METHOD;
                case PATH -> Refusal.PATH;
                default -> Refusal.UNKNOWN_HOST;
            }, v.rule(), v.reason() + (would.isEmpty() ? "" : "; a preset that would allow "
                    + (method.isEmpty() ? "this host" : "it") + ": " + String.join(", ", would)));
        }
        Optional<GatewayPolicy.Route> route = v.route().map(policy.routes()::get);
        return Decision.allow(v.rule(), v.intercept(), v.anyAddress() ? Reach.ANY : Reach.PUBLIC, route);
    }
}
