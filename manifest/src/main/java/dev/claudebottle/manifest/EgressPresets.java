package dev.claudebottle.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * One rule of a preset.
     *
     * @param host    the host
     * @param methods the methods allowed there
     * @param paths   the path prefixes allowed there; empty means any
     */
    public record Rule(String host, List<String> methods, List<String> paths) {
        /** Copies the lists. */
        public Rule {
            methods = List.copyOf(methods);
            paths = List.copyOf(paths);
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
     */
    public record Preset(String name, int version, String what, String checkedWith, List<Rule> rules) {
        /** Copies the rules. */
        public Preset {
            rules = List.copyOf(rules);
        }
    }

    private static final List<Preset> ALL = List.of(
            new Preset("npm", 1, "install and view packages from the npm registry", "npm 9.2 (Debian 12), 10.9",
                    List.of(new Rule("registry.npmjs.org", READ, List.of()))),
            new Preset("npm-publish", 1, "publish packages to the npm registry: a way out, name it on purpose",
                    "npm 9.2 (Debian 12), 10.9",
                    List.of(new Rule("registry.npmjs.org", List.of("GET", "HEAD", "PUT", "DELETE"), List.of()))),
            new Preset("pypi", 1, "install packages from PyPI with pip", "pip 23.0 (Debian 12), 24.3",
                    List.of(new Rule("pypi.org", READ, List.of("/simple/", "/pypi/")),
                            new Rule("files.pythonhosted.org", READ, List.of("/packages/")))),
            new Preset("maven-central", 1, "resolve artifacts from Maven Central", "Maven 3.8 (Debian 12), 3.9",
                    List.of(new Rule("repo.maven.apache.org", READ, List.of("/maven2/")),
                            new Rule("repo1.maven.org", READ, List.of("/maven2/")))),
            new Preset("go-proxy", 1, "download Go modules through the Go module proxy and check their sums",
                    "Go 1.19 (Debian 12), 1.23",
                    List.of(new Rule("proxy.golang.org", READ, List.of()),
                            new Rule("sum.golang.org", READ, List.of()))),
            new Preset("crates", 1, "fetch crates with cargo (the sparse index and the downloads)",
                    "cargo 1.63 (Debian 12), 1.83",
                    List.of(new Rule("index.crates.io", READ, List.of()),
                            new Rule("static.crates.io", READ, List.of("/crates/")),
                            new Rule("crates.io", READ, List.of("/api/v1/crates/")))),
            new Preset("debian", 1, "install Debian packages with apt", "apt 2.6 (Debian 12)",
                    List.of(new Rule("deb.debian.org", READ, List.of("/debian/", "/debian-security/")),
                            new Rule("security.debian.org", READ, List.of("/debian-security/")))),
            new Preset("github", 1, "read from GitHub: the API, raw files, release and archive downloads (clone "
                    + "and push through the git gate)", "curl 7.88, gh 2.23 (Debian 12)",
                    List.of(new Rule("api.github.com", READ, List.of()),
                            new Rule("raw.githubusercontent.com", READ, List.of()),
                            new Rule("codeload.github.com", READ, List.of()),
                            new Rule("objects.githubusercontent.com", READ, List.of()),
                            new Rule("github.com", READ, List.of()))));

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

    /** The names, for a message. */
    static String names() {
        return ALL.stream().map(Preset::name).collect(Collectors.joining(", "));
    }

    /** The presets by name. */
    static Map<String, Preset> byName() {
        return ALL.stream().collect(Collectors.toMap(Preset::name, p -> p));
    }
}
