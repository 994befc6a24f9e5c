package dev.claudebottle.manifest;

import dev.claudebottle.contract.RequestPath;
import dev.claudebottle.manifest.NodeReader.Fields;
import dev.claudebottle.manifest.YamlNode.ListNode;
import dev.claudebottle.contract.HostCas;
import dev.claudebottle.contract.PemCertificates;
import dev.claudebottle.spi.manifest.AlertAction;
import dev.claudebottle.contract.EgressPresets;
import dev.claudebottle.spi.manifest.AllowRule;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.DlpDef;
import dev.claudebottle.spi.manifest.DlpPattern;
import dev.claudebottle.spi.manifest.EgressDef;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Login;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads a bottle's {@code egress} section. */
final class EgressReader {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration MAX_ASK_TIMEOUT = Duration.ofMinutes(4);
    private final NodeReader in;
    private final Path hostCaDir;

    EgressReader(NodeReader in, Path hostCaDir) {
        this.in = in;
        this.hostCaDir = hostCaDir;
    }

    EgressDef read(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "allow", "presets", "routes", "dlp", "upstream_proxy",
                "upstream_ca", "on_alert", "unknown", "ask_timeout");
        if (f.isEmpty()) {
            return EgressDef.DENY_ALL;
        }
        Fields e = f.get();
        List<AllowRule> allow = new ArrayList<>();
        e.get("allow").ifPresent(n -> in.list(n, e.what("allow"))
                .forEach(item -> allowRule(item, e.what("allow") + " entry").ifPresent(allow::add)));
        e.get("presets").ifPresent(n -> in.list(n, e.what("presets")).forEach(item -> preset(item,
                e.what("presets") + " entry", allow)));
        List<RouteDef> routes = new ArrayList<>();
        e.get("routes").ifPresent(n -> in.list(n, e.what("routes"))
                .forEach(item -> route(item, e.what("routes") + " entry").ifPresent(routes::add)));
        DlpDef dlp = e.get("dlp").map(n -> dlp(n, e.what("dlp"))).orElse(DlpDef.DEFAULT);
        Optional<URI> proxy = e.get("upstream_proxy").flatMap(n -> proxy(n, e.what("upstream_proxy")));
        List<Path> ca = e.get("upstream_ca").map(n -> upstreamCa(n, e.what("upstream_ca")))
                .orElseGet(() -> HostCas.files(hostCaDir).stream().filter(file -> certificates(file) > 0).toList());
        AlertAction onAlert = e.get("on_alert").flatMap(n -> in.string(n, e.what("on_alert")).flatMap(a -> {
            if (!a.equals("log") && !a.equals("stop")) {
                in.problem(n.location(), e.what("on_alert") + ": expected log or stop, found '" + a + "'");
                return Optional.empty();
            }
            return Optional.of(AlertAction.valueOf(a.toUpperCase(Locale.ROOT)));
        })).orElse(AlertAction.LOG);
        UnknownAction unknown = e.get("unknown").flatMap(n -> in.string(n, e.what("unknown")).flatMap(a -> {
            if (!a.equals("deny") && !a.equals("ask")) {
                in.problem(n.location(), e.what("unknown") + ": expected deny or ask, found '" + a + "'");
                return Optional.empty();
            }
            return Optional.of(UnknownAction.valueOf(a.toUpperCase(Locale.ROOT)));
        })).orElse(UnknownAction.DENY);
        Duration askTimeout = e.get("ask_timeout").flatMap(n -> in.duration(n, e.what("ask_timeout")).filter(d -> {
            // the gateway closes a connection idle for five minutes, the waiting one too
            if (d.compareTo(MAX_ASK_TIMEOUT) > 0) {
                in.problem(n.location(), e.what("ask_timeout") + ": expected at most 4m, found " + d.toSeconds() + "s");
                return false;
            }
            return true;
        })).orElse(EgressDef.DEFAULT_ASK_TIMEOUT);
        return new EgressDef(allow, routes, dlp, proxy, ca, onAlert, unknown, askTimeout);
    }

    /** One PEM file or a list of them ({@code []} for none), each holding certificates and nothing else. */
    private List<Path> upstreamCa(YamlNode node, String what) {
        List<YamlNode> items = node instanceof ListNode list ? list.items() : List.of(node);
        List<Path> files = new ArrayList<>();
        for (YamlNode item : items) {
            in.existingPath(item, what, false).ifPresent(file -> {
                int count = certificates(file);
                if (count > 0) {
                    files.add(file);
                } else {
                    in.problem(item.location(), what + ": expected a PEM file of CA certificates, but " + file
                            + (count == 0 ? " holds none" : " holds something that is not a certificate"));
                }
            });
        }
        return files;
    }

    /** How many certificates a PEM file holds; -1 when it holds anything else or cannot be read. */
    private static int certificates(Path file) {
        try {
            return PemCertificates.read(Files.readString(file, StandardCharsets.ISO_8859_1)).size();
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** Adds the rules of the preset {@code node} names, after the bottle's own, each saying where it came from. */
    private void preset(YamlNode node, String what, List<AllowRule> allow) {
        in.string(node, what).ifPresent(name -> EgressPresets.named(name).ifPresentOrElse(preset -> {
            for (EgressPresets.Rule rule : preset.rules()) {
                allow.add(new AllowRule(new HostPattern(rule.host()), rule.ports(), rule.methods(), rule.paths(), false,
                        true, node.location(), Optional.of(preset.name())));
            }
        }, () -> in.problem(node.location(), what + ": expected a preset (" + EgressPresets.names() + "), found '"
                + name + "'")));
    }

    private Optional<AllowRule> allowRule(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "host", "ports", "methods", "paths", "private");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields r = f.get();
        Optional<HostPattern> host = r.require("host").flatMap(n -> host(n, r.what("host")));
        List<Integer> ports = r.get("ports").map(n -> ports(n, r.what("ports"))).orElse(List.of());
        List<String> methods = r.get("methods").map(n -> methods(n, r.what("methods"))).orElse(List.of());
        List<String> paths = r.get("paths").map(n -> paths(n, r.what("paths"))).orElse(List.of());
        Optional<Boolean> priv = r.get("private").flatMap(n -> in.bool(n, r.what("private")));
        return host.map(h -> new AllowRule(h, ports, methods, paths, priv.orElse(false),
                priv.isPresent() && !priv.get(), r.location()));
    }

    /** The one host a Claude sign-in's access token is for. */
    private static final String CLAUDE_API = "api.anthropic.com";
    /**
     * Where on it the token goes: the Messages API, and the organisation's settings and limits Claude
     * Code reads as it starts; never the account's endpoints, which can mint keys, nor the rest of
     * {@code /v1/} (sessions, environments), which could act as the person elsewhere.
     */
    private static final List<String> SIGNED_IN_PATHS = List.of("/v1/messages", "/api/claude_code/settings",
            "/api/claude_code/policy_limits");

    private Optional<RouteDef> route(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "host", "ports", "methods", "paths", "header", "value",
                "login", "placeholder", "optional", "private", "plain_http");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields r = f.get();
        Optional<HostPattern> host = r.require("host").flatMap(n -> host(n, r.what("host")));
        List<Integer> ports = r.get("ports").map(n -> ports(n, r.what("ports"))).orElse(List.of());
        List<String> methods = r.get("methods").map(n -> methods(n, r.what("methods"))).orElse(List.of());
        List<String> paths = r.get("paths").map(n -> paths(n, r.what("paths"))).orElse(List.of());
        Optional<String> header = r.require("header").flatMap(n -> in.string(n, r.what("header")).filter(h -> {
            if (HEADER.matcher(h).matches()) {
                return true;
            }
            in.problem(n.location(), r.what("header") + ": expected an HTTP header name, found '" + h + "'");
            return false;
        }));
        Optional<Login> login = r.get("login").flatMap(n -> in.string(n, r.what("login")).flatMap(l -> {
            if (l.equals("claude")) {
                return Optional.of(Login.CLAUDE);
            }
            in.problem(n.location(), r.what("login") + ": expected claude (the host's Claude Code sign-in), found '"
                    + l + "'");
            return Optional.empty();
        }));
        if (r.get("login").isPresent()) {
            // the sign-in goes where Claude Code needs it, never to the account's own endpoints (/api/oauth/...)
            paths = paths.isEmpty() ? SIGNED_IN_PATHS : paths;
        }
        List<String> scoped = paths;
        Optional<String> value = r.get("login").isPresent() ? signedIn(r, header, host, scoped).map(ok -> "")
                : r.require("value").flatMap(n -> in.string(n, r.what("value")).filter(v -> {
                    try {
                        ValueTemplate.parse(v);
                        return true;
                    } catch (IllegalArgumentException ex) {
                        in.problem(n.location(), r.what("value") + ": expected text with ${VAR} references, but "
                                + ex.getMessage());
                        return false;
                    }
                }));
        Optional<Placeholder> placeholder = r.get("placeholder").flatMap(n -> placeholder(n, r.what("placeholder")));
        boolean optional = r.get("optional").flatMap(n -> in.bool(n, r.what("optional"))).orElse(false);
        boolean priv = r.get("private").flatMap(n -> in.bool(n, r.what("private"))).orElse(false);
        boolean plain = r.get("plain_http").flatMap(n -> in.bool(n, r.what("plain_http"))).orElse(false);
        if (host.isEmpty() || header.isEmpty() || value.isEmpty() || r.get("login").isPresent() && login.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RouteDef(host.get(), ports, methods, paths, header.get(), value.get(), login,
                placeholder, optional, priv, plain, r.location()));
    }

    /**
     * Whether a route that takes its credential from a sign-in says nothing that cannot go with it:
     * no value beside it, the {@code authorization} header an access token goes in, never plain HTTP.
     */
    private Optional<Boolean> signedIn(Fields r, Optional<String> header, Optional<HostPattern> host,
                                       List<String> paths) {
        boolean ok = true;
        Optional<YamlNode> listed = r.get("paths");
        if (listed.isPresent() && paths.stream().anyMatch(p -> !RequestPath.normalise(p).equals(Optional.of(p))
                || SIGNED_IN_PATHS.stream().noneMatch(allowed -> RequestPath.under(p, allowed)))) {
            in.problem(listed.get().location(), r.what("paths") + ": expected paths under "
                    + String.join(", ", SIGNED_IN_PATHS) + ", where a Claude sign-in is sent, found " + paths);
            ok = false;
        }
        Optional<YamlNode> named = r.get("host");
        if (named.isPresent() && host.filter(h -> !h.pattern().equals(CLAUDE_API)).isPresent()) {
            // a person's subscription goes to the API it was issued for, whatever a manifest from elsewhere says
            in.problem(named.get().location(), r.what("host") + ": expected " + CLAUDE_API + ", the only host a "
                    + "Claude sign-in is for, found '" + host.get().pattern() + "'");
            ok = false;
        }
        Optional<YamlNode> value = r.get("value");
        if (value.isPresent()) {
            in.problem(value.get().location(), r.what("value") + ": expected a value or a login, not both");
            ok = false;
        }
        Optional<YamlNode> placeholder = r.get("placeholder");
        if (placeholder.isPresent()) {
            // Claude Code prefers a token in its env to its sign-in, and the guest's sign-in is a sentinel already
            in.problem(placeholder.get().location(), r.what("placeholder") + ": a sign-in route's guest holds a "
                    + "sentinel sign-in instead, so it takes no placeholder");
            ok = false;
        }
        named = r.get("header");
        if (named.isPresent() && header.filter(h -> !h.equalsIgnoreCase("authorization")).isPresent()) {
            in.problem(named.get().location(), r.what("header") + ": expected authorization, where a sign-in's "
                    + "access token goes, found '" + header.get() + "'");
            ok = false;
        }
        Optional<YamlNode> plain = r.get("plain_http");
        if (plain.isPresent() && in.bool(plain.get(), r.what("plain_http")).orElse(false)) {
            in.problem(plain.get().location(), r.what("plain_http") + ": a sign-in's access token never goes over "
                    + "plain HTTP");
            ok = false;
        }
        return ok ? Optional.of(true) : Optional.empty();
    }

    private Optional<Placeholder> placeholder(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "env", "value");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields p = f.get();
        Optional<String> env = p.require("env").flatMap(n -> in.string(n, p.what("env")).filter(v -> {
            if (ENV_NAME.matcher(v).matches()) {
                return true;
            }
            in.problem(n.location(), p.what("env") + ": expected a variable name, found '" + v + "'");
            return false;
        }));
        Optional<String> value = p.require("value").flatMap(n -> in.string(n, p.what("value")));
        if (env.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Placeholder(env.get(), value.get()));
    }

    private DlpDef dlp(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "action", "patterns");
        if (f.isEmpty()) {
            return DlpDef.DEFAULT;
        }
        Fields d = f.get();
        DlpAction action = d.get("action").flatMap(n -> in.string(n, d.what("action")).flatMap(a -> {
            try {
                return Optional.of(DlpAction.valueOf(a.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ex) {
                in.problem(n.location(), d.what("action") + ": expected block or warn, found '" + a + "'");
                return Optional.empty();
            }
        })).orElse(DlpAction.BLOCK);
        List<DlpPattern> patterns = new ArrayList<>();
        d.get("patterns").ifPresent(n -> in.list(n, d.what("patterns"))
                .forEach(item -> dlpPattern(item, d.what("patterns") + " entry").ifPresent(patterns::add)));
        return new DlpDef(action, patterns);
    }

    private Optional<DlpPattern> dlpPattern(YamlNode node, String what) {
        Optional<Fields> f = in.fields(node, what, "name", "regex");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Fields p = f.get();
        Optional<String> name = p.require("name").flatMap(n -> in.string(n, p.what("name")));
        Optional<String> regex = p.require("regex").flatMap(n -> in.string(n, p.what("regex")).filter(r -> {
            // The gateway matches with RE2 (linear time): no backreferences or lookaround.
            try {
                com.google.re2j.Pattern.compile(r);
                return true;
            } catch (com.google.re2j.PatternSyntaxException ex) {
                in.problem(n.location(), p.what("regex") + ": expected a regular expression RE2 accepts (no "
                        + "backreferences or lookaround), but " + ex.getDescription() + " in '" + ex.getPattern() + "'");
                return false;
            }
        }));
        if (name.isEmpty() || regex.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DlpPattern(name.get(), regex.get()));
    }

    private Optional<URI> proxy(YamlNode node, String what) {
        return in.string(node, what).flatMap(text -> {
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getPort() > 0) {
                    return Optional.of(uri);
                }
            } catch (URISyntaxException ignored) {
                // reported below
            }
            in.problem(node.location(), what + ": expected a proxy URL like http://proxy.corp:3128, found '"
                    + text + "'");
            return Optional.empty();
        });
    }

    private Optional<HostPattern> host(YamlNode node, String what) {
        return in.string(node, what).flatMap(text -> {
            String problem = HostPattern.problem(text);
            if (problem == null) {
                return Optional.of(new HostPattern(text));
            }
            in.problem(node.location(), what + ": expected " + problem + ", found '" + text + "'");
            return Optional.empty();
        });
    }

    private List<Integer> ports(YamlNode node, String what) {
        List<Integer> out = new ArrayList<>();
        for (YamlNode item : in.list(node, what)) {
            in.integer(item, what + " entry", 1, 65535).ifPresent(out::add);
        }
        return out;
    }

    private List<String> methods(YamlNode node, String what) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : in.list(node, what)) {
            in.string(item, what + " entry").ifPresent(m -> {
                if (METHODS.contains(m)) {
                    out.add(m);
                } else {
                    in.problem(item.location(), what + " entry: expected one of " + String.join(", ",
                            METHODS.stream().sorted().toList()) + " (upper case), found '" + m + "'");
                }
            });
        }
        return out;
    }

    private List<String> paths(YamlNode node, String what) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : in.list(node, what)) {
            in.string(item, what + " entry").ifPresent(p -> {
                if (p.startsWith("/") && p.chars().noneMatch(c -> c <= ' ' || c == '?' || c == '#')) {
                    out.add(p);
                } else {
                    in.problem(item.location(), what + " entry: expected a path prefix starting with /, found '"
                            + p + "'");
                }
            });
        }
        return out;
    }
}
