package dev.claudebottle.bundle.gateway;

import dev.claudebottle.spi.bundle.PolicyFile;
import java.util.List;
import java.util.Optional;

/**
 * Default deny: decides connections and requests from the allow rules and routes. A route
 * implies allowing its host on its ports; its credential applies only where its methods and
 * paths match. Method and path rules, and routes, need the connection decrypted.
 */
public final class EgressRules {
    private static final List<Integer> DEFAULT_PORTS = List.of(80, 443);
    /** A route's credential goes over TLS: unless it lists ports, only 443. */
    private static final List<Integer> ROUTE_PORTS = List.of(443);
    private final GatewayPolicy policy;

    /** Rules of one policy. */
    public EgressRules(GatewayPolicy policy) {
        this.policy = policy;
    }

    /** The decision for a CONNECT (or the connection part of a plain HTTP request). */
    public Decision connect(String host, int port) {
        boolean intercept = false;
        Reach reach = Reach.PUBLIC;
        String rule = null;
        boolean hostKnown = false;
        for (int i = 0; i < policy.routes().size(); i++) {
            GatewayPolicy.Route r = policy.routes().get(i);
            if (r.host().matches(host)) {
                hostKnown = true;
                if (routePorts(r).contains(port)) {
                    intercept = true;
                    reach = r.allowPrivate() ? Reach.ANY : reach;
                    rule = rule != null ? rule : "route[" + i + "] " + r.host();
                }
            }
        }
        for (int i = 0; i < policy.allow().size(); i++) {
            PolicyFile.Rule a = policy.allow().get(i);
            if (a.host().matches(host)) {
                hostKnown = true;
                if (ports(a.ports()).contains(port)) {
                    intercept |= !a.methods().isEmpty() || !a.paths().isEmpty();
                    reach = a.allowPrivate() || !a.host().wildcard() ? Reach.ANY : reach;
                    rule = rule != null ? rule : "allow[" + i + "] " + a.host();
                }
            }
        }
        if (rule == null) {
            return hostKnown
                    ? Decision.deny(Refusal.PORT, "default deny", "port " + port + " is not allowed for " + host)
                    : Decision.deny(Refusal.UNKNOWN_HOST, "default deny", "host " + host + " is not allowed");
        }
        return Decision.allow(rule, intercept, reach, Optional.empty());
    }

    /** The decision for one request, with the route whose credential to inject. */
    public Decision request(String method, String host, int port, String path) {
        Decision connection = connect(host, port);
        if (!connection.allowed()) {
            return connection;
        }
        Optional<GatewayPolicy.Route> route = Optional.empty();
        String routeRule = null;
        for (int i = 0; i < policy.routes().size() && route.isEmpty(); i++) {
            GatewayPolicy.Route r = policy.routes().get(i);
            if (r.host().matches(host) && routePorts(r).contains(port) && methodOk(r.methods(), method)
                    && pathOk(r.paths(), path)) {
                route = Optional.of(r);
                routeRule = "route[" + i + "] " + r.host();
            }
        }
        boolean routeHost = policy.routes().stream()
                .anyMatch(r -> r.host().matches(host) && routePorts(r).contains(port));
        if (route.isPresent() || routeHost) {
            return Decision.allow(routeRule != null ? routeRule : connection.rule(), true, connection.reach(), route);
        }
        String refusal = null;
        Refusal why = Refusal.UNKNOWN_HOST;
        for (int i = 0; i < policy.allow().size(); i++) {
            PolicyFile.Rule a = policy.allow().get(i);
            if (!a.host().matches(host) || !ports(a.ports()).contains(port)) {
                continue;
            }
            if (!methodOk(a.methods(), method)) {
                why = refusal != null ? why : Refusal.METHOD;
                refusal = refusal != null ? refusal : "method " + method + " is not allowed for " + host
                        + " (allow[" + i + "] permits " + String.join(", ", a.methods()) + ")";
            } else if (!pathOk(a.paths(), path)) {
                why = refusal != null ? why : Refusal.PATH;
                refusal = refusal != null ? refusal : "path " + path + " is not allowed for " + host
                        + " (allow[" + i + "] permits " + String.join(", ", a.paths()) + ")";
            } else {
                return Decision.allow("allow[" + i + "] " + a.host(), connection.intercept(), connection.reach(),
                        Optional.empty());
            }
        }
        return Decision.deny(why, "default deny", refusal != null ? refusal : "host " + host + " is not allowed");
    }

    private static List<Integer> routePorts(GatewayPolicy.Route route) {
        return route.ports().isEmpty() ? ROUTE_PORTS : route.ports();
    }

    private static List<Integer> ports(List<Integer> ports) {
        return ports.isEmpty() ? DEFAULT_PORTS : ports;
    }

    private static boolean methodOk(List<String> methods, String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    private static boolean pathOk(List<String> prefixes, String path) {
        if (prefixes.isEmpty()) {
            return true;
        }
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        for (String prefix : prefixes) {
            if (RequestPath.under(p, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a path decides anything on this host and port: a path rule, or a route, covers it. */
    public boolean pathsDecide(String host, int port) {
        return policy.routes().stream().anyMatch(r -> r.host().matches(host) && routePorts(r).contains(port))
                || policy.allow().stream().anyMatch(a -> a.host().matches(host) && ports(a.ports()).contains(port)
                        && !a.paths().isEmpty());
    }
}
