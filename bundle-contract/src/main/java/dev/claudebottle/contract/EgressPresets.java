package dev.claudebottle.contract;

import dev.claudebottle.spi.manifest.HostPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The presets a bottle's {@code egress.presets} names: for each everyday tool, the hosts it really
 * uses and the methods it needs to fetch from them, read-only. Publishing is a preset of its own,
 * named on purpose, since a publish is a way out. Each preset has a version, raised whenever its
 * rules change, and the tool versions its rules were checked against.
 */
public final class EgressPresets {
    /** The methods a download needs. */
    private static final List<String> READ = List.of("GET", "HEAD");

    /** The port a preset's rule allows unless it says otherwise: HTTPS only. */
    private static final List<Integer> HTTPS = List.of(443);

    /**
     * One rule of a preset.
     *
     * @param host    the host
     * @param ports   the ports allowed there
     * @param methods the methods allowed there
     * @param paths   the path prefixes allowed there; empty means any
     */
    public record Rule(String host, List<Integer> ports, List<String> methods, List<String> paths) {
        /** Copies the lists. */
        public Rule {
            ports = List.copyOf(ports);
            methods = List.copyOf(methods);
            paths = List.copyOf(paths);
        }

        /** A rule for HTTPS only. */
        Rule(String host, List<String> methods, List<String> paths) {
            this(host, HTTPS, methods, paths);
        }

        /** What it allows, in a line. */
        public String text() {
            return EgressPresets.text(host + (ports.equals(HTTPS) ? "" : ":" + ports.stream().map(String::valueOf)
                    .collect(Collectors.joining(","))), methods, paths);
        }

        /** As the gateway reads it: public addresses only, marked as {@code preset}'s. */
        PolicyFile.Rule policyRule(String preset) {
            return new PolicyFile.Rule(new HostPattern(host), ports, methods, paths, false, true,
                    Optional.of(preset));
        }
    }

    /**
     * A preset.
     *
     * @param name        its name in {@code egress.presets}
     * @param version     raised whenever its rules change
     * @param what        what it is for, in a line
     * @param checkedWith the tool versions its rules were checked against
     * @param rules       its rules
     * @param wayOut      why it is a way out, where it is one: it writes, or its host fetches what a
     *                    request names from a server of the requester's choice; never suggested to the
     *                    agent
     */
    public record Preset(String name, int version, String what, String checkedWith, List<Rule> rules,
                         Optional<String> wayOut) {
        /** Copies the rules. */
        public Preset {
            rules = List.copyOf(rules);
            Objects.requireNonNull(wayOut, "wayOut");
        }

        /** A preset that only reads from its hosts. */
        Preset(String name, int version, String what, String checkedWith, List<Rule> rules) {
            this(name, version, what, checkedWith, rules, Optional.empty());
        }
    }

    private static final List<Preset> ALL = List.of(
            new Preset("npm", 1, "install and view packages from the npm registry",
                    "npm 9.2 (Debian 12), against the real registry",
                    List.of(new Rule("registry.npmjs.org", READ, List.of()))),
            new Preset("npm-publish", 1, "publish packages to the npm registry: a way out, name it on purpose",
                    "npm 9.2 (Debian 12): its publish, refused without this preset",
                    List.of(new Rule("registry.npmjs.org", List.of("GET", "HEAD", "PUT", "DELETE"), List.of())),
                    Optional.of("it writes to the registry")),
            new Preset("pypi", 1, "install packages from PyPI with pip",
                    "pip 23.0 (Debian 12), against a local PyPI under its real names",
                    List.of(new Rule("pypi.org", READ, List.of("/simple/", "/pypi/")),
                            new Rule("files.pythonhosted.org", READ, List.of("/packages/")))),
            new Preset("maven-central", 1, "resolve artifacts from Maven Central",
                    "the repository layout Maven 3 reads (request paths only)",
                    List.of(new Rule("repo.maven.apache.org", READ, List.of("/maven2/")),
                            new Rule("repo1.maven.org", READ, List.of("/maven2/")))),
            new Preset("go-proxy", 1, "download Go modules through the Go module proxy and check their sums: a "
                    + "way out, since the proxy fetches from whatever server a module path names",
                    "Go 1.19 (Debian 12), against a local module proxy under its real name; sum.golang.org: "
                            + "request paths only",
                    List.of(new Rule("proxy.golang.org", READ, List.of()),
                            new Rule("sum.golang.org", READ, List.of())),
                    Optional.of("the proxy fetches from whatever server a module path names")),
            new Preset("crates", 1, "fetch crates with cargo (the sparse index and the downloads)",
                    "cargo's sparse index protocol, 1.68+ (request paths only)",
                    List.of(new Rule("index.crates.io", READ, List.of()),
                            new Rule("static.crates.io", READ, List.of("/crates/")),
                            new Rule("crates.io", READ, List.of("/api/v1/crates/")))),
            new Preset("debian", 1, "install Debian packages with apt",
                    "the archive layout apt 2.6 (Debian 12) reads (request paths only)",
                    List.of(new Rule("deb.debian.org", List.of(80, 443), READ, List.of("/debian/", "/debian-security/")),
                            new Rule("security.debian.org", List.of(80, 443), READ, List.of("/debian-security/")))),
            new Preset("github", 1, "read from GitHub: the API, raw files, release and archive downloads (clone "
                    + "and push through the git gate)", "curl 7.88 (Debian 12), against local servers under api.github.com and raw.githubusercontent.com; "
                    + "the other hosts: request paths only",
                    List.of(new Rule("api.github.com", READ, List.of()),
                            new Rule("raw.githubusercontent.com", READ, List.of()),
                            new Rule("codeload.github.com", READ, List.of()),
                            new Rule("objects.githubusercontent.com", READ, List.of()),
                            new Rule("github.com", READ, List.of()))));

    /** Each preset's rules, as the gateway reads them. */
    private static final Map<String, PolicyRules> RULES = ALL.stream().collect(Collectors.toMap(Preset::name,
            p -> new PolicyRules(p.rules().stream().map(r -> r.policyRule(p.name())).toList(), List.of())));

    private EgressPresets() {
    }

    /** Every preset, in the order shown. */
    public static List<Preset> all() {
        return ALL;
    }

    /** The preset named {@code name}, if there is one. */
    public static Optional<Preset> named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * What a rule allows, in a line: {@code GET|HEAD pypi.org/simple/**, pypi.org/pypi/**}; no
     * methods means any, no paths any path.
     */
    public static String text(String host, List<String> methods, List<String> paths) {
        return (methods.isEmpty() ? "" : String.join("|", methods) + " ") + (paths.isEmpty() ? host + "/**"
                : paths.stream().map(p -> host + p + (p.endsWith("/") ? "**" : "/**")).collect(Collectors.joining(", ")));
    }

    /**
     * The presets that are no way out, of those not {@code inUse}, whose rules would let
     * {@code method} to {@code host:port} at {@code path} through: what the gateway tells the
     * agent, which is never pointed at a way out. For a connection, where only the host and port
     * are known, {@code method} and {@code path} are empty. A path is judged as the preset's rules
     * would judge it, normalised; an ambiguous one gets no suggestion.
     */
    public static List<String> thatWouldAllow(Optional<String> method, String host, int port, Optional<String> path,
                                              Set<String> inUse) {
        return would(method, host, port, path, inUse).stream().filter(n -> wayOut(n).isEmpty()).toList();
    }

    /**
     * As {@link #thatWouldAllow}, for the person who asks ({@code bottle policy check}): a way out
     * too, where nothing narrower would do.
     */
    public static List<String> thatWouldAllowAny(Optional<String> method, String host, int port,
                                                 Optional<String> path, Set<String> inUse) {
        List<String> would = would(method, host, port, path, inUse);
        List<String> narrow = would.stream().filter(n -> wayOut(n).isEmpty()).toList();
        return narrow.isEmpty() ? would : narrow;
    }

    /** Why the preset {@code name} is a way out, if it is one. */
    public static Optional<String> wayOut(String name) {
        return named(name).flatMap(Preset::wayOut);
    }

    private static List<String> would(Optional<String> method, String host, int port, Optional<String> path,
                                      Set<String> inUse) {
        Optional<String> normalised = path.flatMap(RequestPath::normalise);
        if (path.isPresent() && normalised.isEmpty()) {
            return List.of();
        }
        List<String> would = new ArrayList<>();
        for (Preset preset : ALL) {
            if (inUse.contains(preset.name())) {
                continue;
            }
            PolicyRules rules = RULES.get(preset.name());
            boolean allowed = method.isPresent() && normalised.isPresent()
                    ? rules.request(method.get(), host, port, normalised.get()).allowed()
                    : rules.connect(host, port).allowed();
            if (allowed) {
                would.add(preset.name());
            }
        }
        return would;
    }

    /** The names, for a message. */
    public static String names() {
        return ALL.stream().map(Preset::name).collect(Collectors.joining(", "));
    }

    /** The presets by name. */
    public static Map<String, Preset> byName() {
        return ALL.stream().collect(Collectors.toMap(Preset::name, p -> p));
    }
}
