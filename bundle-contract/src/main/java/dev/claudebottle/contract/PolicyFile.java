package dev.claudebottle.contract;

import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.Login;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's policy file, as the host's launch writes it and the bundle's gateway reads it. It
 * names the bundle env variables that carry route values, never the values. {@link #toJson()}
 * and {@link #fromJson(Object)} are the one mapping between it and its JSON tree (maps, lists,
 * strings, numbers, booleans); either side turns that tree into text with its JSON library.
 *
 * @param allow         hosts the guest may reach
 * @param routes        hosts the gateway injects a credential for
 * @param dlpAction     what a secret found in a request does
 * @param upstreamProxy a proxy to chain upstream connections through
 * @param unknown       what a request to a host no rule covers gets
 * @param askTimeout    how long an asked request waits for a person
 */
public record PolicyFile(List<Rule> allow, List<RouteEntry> routes, DlpAction dlpAction,
                         Optional<String> upstreamProxy, UnknownAction unknown,
                         Duration askTimeout) {
    /**
     * The format this build writes and reads: 2 since the DLP patterns and upstream CAs moved to the
     * {@link TrustFile}, so a bundle that would look for them here refuses the file instead.
     */
    public static final int VERSION = 2;

    /** Copies the lists. */
    public PolicyFile {
        allow = List.copyOf(allow);
        routes = List.copyOf(routes);
        Objects.requireNonNull(dlpAction, "dlpAction");
        Objects.requireNonNull(upstreamProxy, "upstreamProxy");
        Objects.requireNonNull(unknown, "unknown");
        if (askTimeout.isNegative() || askTimeout.isZero()) {
            throw new IllegalArgumentException("ask_timeout_ms is not positive");
        }
    }

    /** A policy of these rules that refuses unknown hosts. */
    public PolicyFile(List<Rule> allow, List<RouteEntry> routes, DlpAction dlpAction, Optional<String> upstreamProxy) {
        this(allow, routes, dlpAction, upstreamProxy, UnknownAction.DENY, DEFAULT_ASK_TIMEOUT);
    }

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofMinutes(1);

    /**
     * An allow rule, and where a route applies: the one egress-rule shape the gateway works with.
     *
     * @param host         a host or {@code *.} pattern
     * @param ports        the ports it covers (empty: 80 and 443 for an allow rule, 443 for a route)
     * @param methods      the methods it allows (empty: all)
     * @param paths        the path prefixes it allows (empty: all)
     * @param allowPrivate whether it may resolve to a private address
     * @param publicOnly   whether it may resolve to public addresses only, even when named exactly
     * @param preset       the {@link EgressPresets preset} it came from, if any
     */
    public record Rule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                       boolean allowPrivate, boolean publicOnly, Optional<String> preset) {
        /** Copies the lists. */
        public Rule {
            Objects.requireNonNull(host, "host");
            ports = List.copyOf(ports);
            methods = List.copyOf(methods);
            paths = List.copyOf(paths);
            Objects.requireNonNull(preset, "preset");
        }

        /** A rule of the bottle's own. */
        public Rule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                    boolean allowPrivate, boolean publicOnly) {
            this(host, ports, methods, paths, allowPrivate, publicOnly, Optional.empty());
        }

        /**
         * What it allows, in a line: {@code GET|HEAD registry.npmjs.org/**}, and the preset it came
         * from first where it did.
         */
        public String text() {
            return preset.map(p -> "preset " + p + ": ").orElse("") + EgressPresets.text(host.pattern(), methods,
                    paths);
        }

        /** A rule that says nothing of public addresses only. */
        public Rule(HostPattern host, List<Integer> ports, List<String> methods, List<String> paths,
                    boolean allowPrivate) {
            this(host, ports, methods, paths, allowPrivate, false);
        }
    }

    /**
     * A route: a host the gateway injects a header into.
     *
     * @param rule        where it applies, as for an allow rule
     * @param header      the header it sets
     * @param valueEnv    the bundle env variable holding the value; empty for a sign-in route
     * @param placeholder what the guest sends in its place, if anything
     * @param plainHttp   whether the value may go over plain HTTP too
     * @param login       the sign-in whose access token is the value, kept in {@link BundleLayout#SIGN_IN_DIR}
     */
    public record RouteEntry(Rule rule, String header, String valueEnv, Optional<String> placeholder,
                             boolean plainHttp, Optional<Login> login) {
        /** Requires every part; a route has a value in the env or a sign-in, not both. */
        public RouteEntry {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(valueEnv, "valueEnv");
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(login, "login");
            if (valueEnv.isEmpty() == login.isEmpty()) {
                throw new IllegalArgumentException("a route has a value_env or a login, not both nor neither");
            }
        }

        /** A route whose value the bundle env holds. */
        public RouteEntry(Rule rule, String header, String valueEnv, Optional<String> placeholder, boolean plainHttp) {
            this(rule, header, valueEnv, placeholder, plainHttp, Optional.empty());
        }
    }

    /** The JSON tree of this policy. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        json.put("allow", allow.stream().map(PolicyFile::ruleJson).toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (RouteEntry r : routes) {
            Map<String, Object> route = ruleJson(r.rule());
            route.put("header", r.header());
            if (r.login().isPresent()) {
                route.put("login", Wire.name(r.login().get()));
            } else {
                route.put("value_env", r.valueEnv());
            }
            r.placeholder().ifPresent(p -> route.put("placeholder", p));
            route.put("plain_http", r.plainHttp());
            out.add(route);
        }
        json.put("routes", out);
        Map<String, Object> dlp = new LinkedHashMap<>();
        dlp.put("action", Wire.name(dlpAction));
        json.put("dlp", dlp);
        upstreamProxy.ifPresent(u -> json.put("upstream_proxy", u));
        json.put("unknown", Wire.name(unknown));
        json.put("ask_timeout_ms", askTimeout.toMillis());
        return json;
    }

    private static Map<String, Object> ruleJson(Rule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("host", rule.host().pattern());
        json.put("ports", rule.ports());
        json.put("methods", rule.methods());
        json.put("paths", rule.paths());
        json.put("private", rule.allowPrivate());
        json.put("public_only", rule.publicOnly());
        rule.preset().ifPresent(p -> json.put("preset", p));
        return json;
    }

    /**
     * The policy in a JSON tree.
     *
     * @throws IllegalArgumentException naming the first part that is not what this version writes
     */
    public static PolicyFile fromJson(Object tree) {
        JsonTree root = new JsonTree("the policy", tree);
        if (!root.get("version").isNumber(VERSION)) {
            throw new IllegalArgumentException("it is not a version " + VERSION + " policy");
        }
        List<Rule> allow = new ArrayList<>();
        List<Object> rules = root.get("allow").listOrEmpty();
        for (int i = 0; i < rules.size(); i++) {
            allow.add(rule(new JsonTree("allow[" + i + "]", rules.get(i))));
        }
        List<RouteEntry> routes = new ArrayList<>();
        List<Object> entries = root.get("routes").listOrEmpty();
        for (int i = 0; i < entries.size(); i++) {
            JsonTree r = new JsonTree("routes[" + i + "]", entries.get(i));
            Optional<Login> login = r.get("login").optionalText().map(l -> Wire.parse(Login.class, l, "login"));
            routes.add(new RouteEntry(rule(r), r.get("header").text(), login.isPresent() ? ""
                    : r.get("value_env").text(), r.get("placeholder").optionalText(), r.get("plain_http").flag(), login));
        }
        JsonTree dlp = root.get("dlp");
        DlpAction action = dlp.isAbsent() ? DlpAction.BLOCK : dlp.get("action").optionalText()
                .map(a -> Wire.parse(DlpAction.class, a, "dlp.action")).orElse(DlpAction.BLOCK);
        UnknownAction unknown = root.get("unknown").optionalText()
                .map(u -> Wire.parse(UnknownAction.class, u, "unknown")).orElse(UnknownAction.DENY);
        long askMs = root.get("ask_timeout_ms").number(DEFAULT_ASK_TIMEOUT.toMillis());
        if (askMs <= 0) {
            throw new IllegalArgumentException("ask_timeout_ms is not positive");
        }
        return new PolicyFile(allow, routes, action, root.get("upstream_proxy").optionalText(), unknown,
                Duration.ofMillis(askMs));
    }

    private static Rule rule(JsonTree r) {
        List<Integer> ports = new ArrayList<>();
        for (Object port : r.get("ports").listOrEmpty()) {
            if (!(port instanceof Number n)) {
                throw new IllegalArgumentException(r.where() + ".ports is not a list of numbers");
            }
            ports.add(n.intValue());
        }
        HostPattern host;
        try {
            host = new HostPattern(r.get("host").text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(r.where() + ".host: " + e.getMessage());
        }
        return new Rule(host, ports, r.get("methods").texts(), r.get("paths").texts(), r.get("private").flag(),
                r.get("public_only").flag(), r.get("preset").optionalText());
    }
}
