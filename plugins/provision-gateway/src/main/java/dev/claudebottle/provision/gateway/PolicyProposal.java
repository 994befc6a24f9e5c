package dev.claudebottle.provision.gateway;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.manifest.RouteDef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The smallest {@code egress.allow} that lets through what a bottle's gateway let through, read
 * from its audit log ({@code bottle policy propose}): one rule a host, the ports it saw (none when
 * they are 80 and 443, the default), the methods it saw, and the first path segments it saw (a host
 * reached at {@code /}, or only through an undecrypted tunnel, gets no path rule; a tunnel, no
 * method rule either). The routes of the bottle its traffic used are kept as the manifest has them,
 * for the host the manifest binds them to and no other: a credential's placeholder the tripwire
 * caught on its way elsewhere is flagged, as is a request whose host, port, method or path the
 * manifest cannot hold as it is, and none of them becomes a rule.
 *
 * @param allow    the rules, by host
 * @param routes   the manifest's routes the traffic used, as the manifest has them
 * @param flags    what the log shows that the proposal leaves out, for a person to look at
 * @param requests how many allowed requests and tunnels they cover
 */
record PolicyProposal(List<Rule> allow, List<RouteDef> routes, List<Flag> flags, int requests) {
    private static final Pattern ROUTE_RULE = Pattern.compile("route\\[([0-9]{1,9})\\] .*");
    /** Long guest text is cut here, so one line of the log cannot flood the proposal. */
    private static final int SEEN_MAX = 200;

    /** Copies the lists. */
    PolicyProposal {
        allow = List.copyOf(allow);
        routes = List.copyOf(routes);
        flags = List.copyOf(flags);
    }

    /**
     * One proposed allow rule.
     *
     * @param host    the host
     * @param ports   its ports, empty for 80 and 443
     * @param methods its methods, empty for any
     * @param paths   its path prefixes, empty for any
     */
    record Rule(String host, List<Integer> ports, List<String> methods, List<String> paths) {
    }

    /** Why something the log shows is left out of the proposal. */
    enum Left {
        /** The gateway raised an alert: the tripwire caught a credential on its way to another host. */
        ALERT("no route is proposed for it: a credential goes only to its own route's host"),
        /** A host that is no host name (or a wildcard). */
        HOST("not a host name the manifest can hold"),
        /** A port out of range. */
        PORT("not a port"),
        /** A method no manifest rule can name. */
        METHOD("not a method the manifest can hold"),
        /** A path whose first segment a manifest cannot hold as it is. */
        PATH("not a path the manifest can hold");

        private final String why;

        Left(String why) {
            this.why = why;
        }

        /** Why it is left out, in words. */
        String why() {
            return why;
        }
    }

    /**
     * Something the log shows that the proposal leaves out.
     *
     * @param left     why
     * @param host     the host it went to, as the guest named it
     * @param seen     what was seen: the alert's reason, or the value the manifest cannot hold, cut short
     * @param requests how many lines of the log show it
     */
    record Flag(Left left, String host, String seen, int requests) {
        /** The same flag, with the other's requests counted too. */
        Flag plus(Flag other) {
            return new Flag(left, host, seen, requests + other.requests);
        }
    }

    /** Reads the audit files, skipping lines that are not JSON (a truncated last line). */
    static PolicyProposal from(List<Path> files) {
        return from(files, List.of());
    }

    /** As {@link #from(List)}, with the routes of the bottle the log is of. */
    static PolicyProposal from(List<Path> files, List<RouteDef> manifestRoutes) {
        Map<String, Seen> hosts = new TreeMap<>();
        Set<Integer> usedRoutes = new TreeSet<>();
        Map<List<String>, Flag> flags = new LinkedHashMap<>();
        int requests = 0;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String text;
                while ((text = in.readLine()) != null) {
                    Optional<AuditLine> parsed = AuditLine.parse(text);
                    if (parsed.isEmpty() || parsed.get().host().equals(BundleLayout.PROBE_HOST)) {
                        continue;
                    }
                    AuditLine line = parsed.get();
                    if (line.alert()) {
                        flag(flags, new Flag(Left.ALERT, cut(line.host()), cut(line.reason()), 1));
                    }
                    if (!line.allowedTraffic()) {
                        continue;
                    }
                    requests++;
                    var route = ROUTE_RULE.matcher(line.rule());
                    if (route.matches() && Integer.parseInt(route.group(1)) < manifestRoutes.size()) {
                        // a route implies its host's allow rule
                        usedRoutes.add(Integer.parseInt(route.group(1)));
                        continue;
                    }
                    Optional<Left> problem = ManifestValues.problem(line);
                    if (problem.isPresent()) {
                        flag(flags, new Flag(problem.get(), cut(line.host()),
                                cut(seen(problem.get(), line)), 1));
                        continue;
                    }
                    hosts.computeIfAbsent(line.host(), h -> new Seen()).add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
            }
        }
        List<Rule> rules = new ArrayList<>();
        hosts.forEach((host, seen) -> rules.add(seen.rule(host)));
        List<RouteDef> routes = usedRoutes.stream().map(manifestRoutes::get).toList();
        List<Flag> sorted = flags.values().stream().sorted(Comparator.comparing(Flag::left)
                .thenComparing(Flag::host).thenComparing(Flag::seen)).toList();
        return new PolicyProposal(rules, routes, sorted, requests);
    }

    private static void flag(Map<List<String>, Flag> flags, Flag flag) {
        flags.merge(List.of(flag.left().name(), flag.host(), flag.seen()), flag, Flag::plus);
    }

    /** The value of the line a manifest cannot hold. */
    private static String seen(Left left, AuditLine line) {
        return switch (left) {
            case HOST -> line.host();
            case PORT -> Integer.toString(line.port());
            case METHOD -> line.method();
            case PATH -> line.path();
            case ALERT -> line.reason();
        };
    }

    private static String cut(String text) {
        return text.length() <= SEEN_MAX ? text : text.substring(0, SEEN_MAX) + "…";
    }

    /** The proposal as the {@code egress} section of a manifest, ready to paste under a bottle. */
    String yaml() {
        return ProposalYaml.of(this);
    }

    /** Its JSON tree. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requests", requests);
        json.put("allow", allow.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host());
            m.put("ports", r.ports());
            m.put("methods", r.methods());
            m.put("paths", r.paths());
            m.put("private", false);
            return m;
        }).toList());
        json.put("routes", routes.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host().pattern());
            m.put("header", r.header());
            return m;
        }).toList());
        json.put("flags", flags.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("left", f.left().name().toLowerCase(Locale.ROOT));
            m.put("host", f.host());
            m.put("seen", f.seen());
            m.put("requests", f.requests());
            return m;
        }).toList());
        return json;
    }

    /** What one host was seen doing, in values a manifest holds. */
    private static final class Seen {
        private final Set<Integer> ports = new TreeSet<>();
        private final Set<String> methods = new TreeSet<>();
        private final Set<String> prefixes = new TreeSet<>();
        private boolean tunnelled;
        private boolean root;

        void add(AuditLine line) {
            ports.add(line.port());
            if (line.tunnel()) {
                tunnelled = true;
                return;
            }
            methods.add(line.method());
            String prefix = ManifestValues.prefix(line.path()).orElseThrow();
            if (prefix.equals("/")) {
                root = true;
            } else {
                prefixes.add(prefix);
            }
        }

        Rule rule(String host) {
            List<Integer> portList = ports.equals(Set.of(80, 443)) ? List.of() : List.copyOf(ports);
            if (tunnelled) {
                return new Rule(host, portList, List.of(), List.of());
            }
            return new Rule(host, portList, List.copyOf(methods), root ? List.of() : List.copyOf(prefixes));
        }
    }
}
