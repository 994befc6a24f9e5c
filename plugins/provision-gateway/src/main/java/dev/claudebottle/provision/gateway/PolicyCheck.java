package dev.claudebottle.provision.gateway;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.contract.EgressPresets;
import dev.claudebottle.contract.PolicyRules;
import dev.claudebottle.contract.RequestPath;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a bottle's gateway would do with one request, decided by the same rules, without a bottle:
 * {@code bottle policy check}. Only what the manifest decides: where a host resolves (SSRF), DLP
 * and the tripwire look at a real request, and are not part of the answer.
 *
 * @param decision {@code allow}, {@code deny} or {@code ask} (a person would be asked)
 * @param rule     the rule that decided
 * @param reason   why, in words
 * @param code     the refusal's code, as the gateway's {@code X-Claude-Bottle-Reason} would carry it
 * @param intercept whether the gateway would decrypt the connection
 * @param route    the route whose credential the request would carry, if any
 * @param presets  for a refusal, the presets the bottle does not name that would allow it (a publishing one
 *                 only where no read-only one would)
 */
record PolicyCheck(String decision, String rule, String reason, String code, boolean intercept,
                   Optional<RouteDef> route, List<String> presets) {
    /** Copies the list. */
    PolicyCheck {
        presets = List.copyOf(presets);
    }

    private PolicyCheck(String decision, String rule, String reason, String code, boolean intercept,
                        Optional<RouteDef> route) {
        this(decision, rule, reason, code, intercept, route, List.of());
    }

    /** Decides {@code method} to {@code url} under {@code egress}. */
    static PolicyCheck of(EgressDef egress, String method, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BadInputException("'" + url + "' is not a URL", "give one like https://api.github.com/repos/acme");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        boolean tls = scheme.equals("https") || scheme.equals("wss");
        if (!tls && !scheme.equals("http") && !scheme.equals("ws") || uri.getHost() == null) {
            throw new BadInputException("'" + url + "' is not an http(s) URL with a host",
                    "give one like https://api.github.com/repos/acme");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String verb = method.toUpperCase(Locale.ROOT);
        PolicyRules rules = GatewayPolicyWriter.rules(egress);

        PolicyRules.Verdict connect = rules.connect(host, port);
        if (!connect.allowed()) {
            // the whole request is judged: the person asks about this one, not any to the host
            return refused(egress, connect, EgressPresets.thatWouldAllowAny(Optional.of(verb), host, port,
                    Optional.of(target), rules.presets()));
        }
        if (tls && !connect.intercept()) {
            return new PolicyCheck("allow", connect.rule(), "tunnelled: the gateway sees the host and port only",
                    "", false, Optional.empty());
        }
        Optional<String> path = rules.pathsDecide(host, port) ? RequestPath.normalise(target) : Optional.of(target);
        if (path.isEmpty()) {
            return new PolicyCheck("deny", "protocol", "an ambiguous path (an encoded / or \\, a backslash, or a "
                    + "doubly encoded dot) where paths decide", "protocol", true, Optional.empty());
        }
        PolicyRules.Verdict request = rules.request(verb, host, port, path.get());
        if (!request.allowed()) {
            return refused(egress, request, EgressPresets.thatWouldAllowAny(Optional.of(verb), host, port,
                    Optional.of(target), rules.presets()));
        }
        Optional<RouteDef> route = request.route().map(egress.routes()::get);
        if (route.isPresent() && !tls && !route.get().plainHttp()) {
            return new PolicyCheck("deny", request.rule(), "the credential for " + host + " goes only over TLS: use "
                    + "https://, or let the route opt in with plain_http", "protocol", true, Optional.empty());
        }
        return new PolicyCheck("allow", request.rule(), tls ? "intercepted: the gateway decrypts to check method, "
                + "path and route" : "plain HTTP: the gateway reads the request", "", tls, route);
    }

    private static PolicyCheck refused(EgressDef egress, PolicyRules.Verdict v, List<String> would) {
        String code = switch (v.why()) {
            case PORT -> "port-not-allowed";
            case METHOD -> "method-not-allowed";
            case PATH -> "path-not-allowed";
            default -> "unknown-host";
        };
        if (v.why() == PolicyRules.Why.UNKNOWN_HOST && egress.unknown() == UnknownAction.ASK) {
            return new PolicyCheck("ask", "egress.unknown: ask", v.reason() + "; a person would be asked, for up to "
                    + egress.askTimeout().toSeconds() + "s", code, false, Optional.empty(), would);
        }
        return new PolicyCheck("deny", v.rule(), v.reason(), code, false, Optional.empty(), would);
    }

    /** Its JSON tree. */
    Map<String, Object> toJson(String method, String url) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("decision", decision);
        json.put("method", method.toUpperCase(Locale.ROOT));
        json.put("url", url);
        json.put("rule", rule);
        json.put("reason", reason);
        json.put("code", code.isEmpty() ? null : code);
        json.put("intercept", intercept);
        json.put("presets_that_would", presets);
        json.put("route", route.map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host().pattern());
            m.put("header", r.header());
            return m;
        }).orElse(null));
        return json;
    }
}
