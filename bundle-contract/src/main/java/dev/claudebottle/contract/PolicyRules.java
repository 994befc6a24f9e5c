package dev.claudebottle.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a policy file's rules decide for a connection or a request: default deny, an allow rule,
 * or a route (which implies allowing its host on its ports; its credential applies only where its
 * methods and paths match). The one reading of the rules, for the gateway that enforces them and
 * for {@code bottle policy check}, which only asks.
 */
public final class PolicyRules {
    private static final List<Integer> DEFAULT_PORTS = List.of(80, 443);
    /** A route's credential goes over TLS: unless it lists ports, only 443. */
    private static final List<Integer> ROUTE_PORTS = List.of(443);
    private final List<PolicyFile.Rule> allow;
    private final List<PolicyFile.Rule> routes;
    private final Set<String> presets;

    /** Why the rules refused. */
    public enum Why {
        /** They did not. */
        NONE,
        /** No rule covers the host. */
        UNKNOWN_HOST,
        /** A rule covers the host, not the port. */
        PORT,
        /** A rule covers the host, not the method. */
        METHOD,
        /** A rule covers the host, not the path. */
        PATH
    }

    /**
     * What the rules decided.
     *
     * @param allowed    whether it may pass
     * @param rule       the rule that decided, e.g. {@code allow[2] api.github.com}, {@code preset npm: GET|HEAD
     *                   registry.npmjs.org/**}, {@code route[0] api.test}
     *                   or {@code default deny}
     * @param reason     why, in words
     * @param why        why it was refused, as a kind
     * @param intercept  whether TLS must be decrypted to apply method, path or route rules
     * @param anyAddress whether the host may resolve to a private address (named exactly, or
     *                   {@code private: true})
     * @param route      the index of the route whose credential applies, if any
     */
    public record Verdict(boolean allowed, String rule, String reason, Why why, boolean intercept,
                          boolean anyAddress, Optional<Integer> route) {
        /** Requires every part. */
        public Verdict {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(route, "route");
        }

        private static Verdict deny(Why why, String reason) {
            return new Verdict(false, "default deny", reason, why, false, false, Optional.empty());
        }
    }

    /** The rules of a policy file: its allow rules and where its routes apply. */
    public PolicyRules(List<PolicyFile.Rule> allow, List<PolicyFile.Rule> routes) {
        this.allow = List.copyOf(allow);
        this.routes = List.copyOf(routes);
        Set<String> named = new TreeSet<>();
        allow.forEach(a -> a.preset().ifPresent(named::add));
        this.presets = Set.copyOf(named);
    }

    /** The rules of {@code policy}. */
    public static PolicyRules of(PolicyFile policy) {
        return new PolicyRules(policy.allow(), policy.routes().stream().map(PolicyFile.RouteEntry::rule).toList());
    }

    /** The verdict for a CONNECT (or the connection part of a plain HTTP request). */
    public Verdict connect(String host, int port) {
        boolean intercept = false;
        boolean anyAddress = false;
        String rule = null;
        boolean hostKnown = false;
        for (int i = 0; i < routes.size(); i++) {
            PolicyFile.Rule r = routes.get(i);
            if (r.host().matches(host)) {
                hostKnown = true;
                if (routePorts(r).contains(port)) {
                    intercept = true;
                    anyAddress |= r.allowPrivate();
                    rule = rule != null ? rule : "route[" + i + "] " + r.host().pattern();
                }
            }
        }
        for (int i = 0; i < allow.size(); i++) {
            PolicyFile.Rule a = allow.get(i);
            if (a.host().matches(host)) {
                hostKnown = true;
                if (ports(a.ports()).contains(port)) {
                    intercept |= !a.methods().isEmpty() || !a.paths().isEmpty();
                    // a host named exactly may resolve anywhere, unless it was saved as public only
                    anyAddress |= a.allowPrivate() || !a.host().wildcard() && !a.publicOnly();
                    rule = rule != null ? rule : label(i, a);
                }
            }
        }
        if (rule == null) {
            return hostKnown ? Verdict.deny(Why.PORT, "port " + port + " is not allowed for " + host)
                    : Verdict.deny(Why.UNKNOWN_HOST, "host " + host + " is not allowed");
        }
        return new Verdict(true, rule, "allowed", Why.NONE, intercept, anyAddress, Optional.empty());
    }

    /** The verdict for one request, with the route whose credential to inject. */
    public Verdict request(String method, String host, int port, String path) {
        Verdict connection = connect(host, port);
        if (!connection.allowed()) {
            return connection;
        }
        for (int i = 0; i < routes.size(); i++) {
            PolicyFile.Rule r = routes.get(i);
            if (r.host().matches(host) && routePorts(r).contains(port) && methodOk(r.methods(), method)
                    && pathOk(r.paths(), path)) {
                return new Verdict(true, "route[" + i + "] " + r.host().pattern(), "allowed", Why.NONE, true,
                        connection.anyAddress(), Optional.of(i));
            }
        }
        if (routes.stream().anyMatch(r -> r.host().matches(host) && routePorts(r).contains(port))) {
            return new Verdict(true, connection.rule(), "allowed", Why.NONE, true, connection.anyAddress(),
                    Optional.empty());
        }
        String refusal = null;
        Why why = Why.UNKNOWN_HOST;
        for (int i = 0; i < allow.size(); i++) {
            PolicyFile.Rule a = allow.get(i);
            if (!a.host().matches(host) || !ports(a.ports()).contains(port)) {
                continue;
            }
            if (!methodOk(a.methods(), method)) {
                if (refusal == null) {
                    why = Why.METHOD;
                    refusal = "method " + method + " is not allowed for " + host + " (" + name(i, a) + " permits "
                            + String.join(", ", a.methods()) + ")";
                }
            } else if (!pathOk(a.paths(), path)) {
                if (refusal == null) {
                    why = Why.PATH;
                    refusal = "path " + path + " is not allowed for " + host + " (" + name(i, a) + " permits "
                            + String.join(", ", a.paths()) + ")";
                }
            } else {
                return new Verdict(true, label(i, a), "allowed", Why.NONE,
                        connection.intercept(), connection.anyAddress(), Optional.empty());
            }
        }
        return Verdict.deny(why, refusal != null ? refusal : "host " + host + " is not allowed");
    }

    /** Whether a path decides anything on this host and port: a path rule, or a route, covers it. */
    public boolean pathsDecide(String host, int port) {
        return routes.stream().anyMatch(r -> r.host().matches(host) && routePorts(r).contains(port))
                || allow.stream().anyMatch(a -> a.host().matches(host) && ports(a.ports()).contains(port)
                        && !a.paths().isEmpty());
    }

    /** The presets whose rules are among these. */
    public Set<String> presets() {
        return presets;
    }

    /** How a verdict names an allow rule: its place, or the preset and what it allows. */
    private static String label(int i, PolicyFile.Rule a) {
        return a.preset().isPresent() ? a.text() : "allow[" + i + "] " + a.host().pattern();
    }

    /** How a refusal names the allow rule that covers the host. */
    private static String name(int i, PolicyFile.Rule a) {
        return a.preset().map(p -> "preset " + p).orElse("allow[" + i + "]");
    }

    private static List<Integer> routePorts(PolicyFile.Rule route) {
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
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        return prefixes.stream().anyMatch(prefix -> RequestPath.under(p, prefix));
    }
}
