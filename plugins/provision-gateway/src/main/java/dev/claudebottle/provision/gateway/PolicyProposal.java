package dev.claudebottle.provision.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.bundle.BundleLayout;
import dev.claudebottle.spi.manifest.RouteDef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The smallest {@code egress.allow} that lets through what a bottle's gateway let through, read
 * from its audit log ({@code bottle policy propose}): one rule a host, the ports it saw (none when
 * they are 80 and 443, the default), the methods it saw, and the first path segments it saw (a host reached at {@code /}, or
 * only through an undecrypted tunnel, gets no path rule; a tunnel, no method rule either). Routes of
 * the bottle its traffic used are kept as the manifest has them, and a route's placeholder the
 * tripwire caught on its way to another host proposes that route for that host too, marked so.
 *
 * @param allow    the rules, by host
 * @param routes   the routes, the manifest's own first
 * @param requests how many allowed requests and tunnels they cover
 */
record PolicyProposal(List<Rule> allow, List<Route> routes, int requests) {
    private static final java.util.regex.Pattern ROUTE_RULE = java.util.regex.Pattern.compile("route\\[([0-9]+)\\] .*");
    private static final java.util.regex.Pattern PLACEHOLDER_SENT = java.util.regex.Pattern.compile(
            "the placeholder of the (\\S+) credential was sent to (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRAFFIC = Set.of("request", "tunnel");

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

    /**
     * One proposed route.
     *
     * @param host  the host it injects for
     * @param def   the manifest's route it copies
     * @param note  why it is proposed, when it is not the manifest's own
     */
    record Route(String host, RouteDef def, Optional<String> note) {
    }

    /** Reads the audit files, skipping lines that are not JSON (a truncated last line). */
    static PolicyProposal from(List<Path> files) {
        return from(files, List.of());
    }

    /** As {@link #from(List)}, with the routes of the bottle the log is of. */
    static PolicyProposal from(List<Path> files, List<RouteDef> manifestRoutes) {
        Map<String, Seen> hosts = new TreeMap<>();
        Set<Integer> usedRoutes = new TreeSet<>();
        Map<String, RouteDef> caught = new TreeMap<>();
        int requests = 0;
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode a;
                    try {
                        a = JSON.readTree(line);
                    } catch (IOException e) {
                        continue;
                    }
                    if (a == null || a.path("host").asText().equals(BundleLayout.PROBE_HOST)) {
                        continue;
                    }
                    var sent = PLACEHOLDER_SENT.matcher(a.path("reason").asText());
                    if (a.path("decision").asText().equals("alert") && sent.matches()) {
                        String routeHost = sent.group(1);
                        manifestRoutes.stream().filter(r -> r.host().pattern().equals(routeHost)).findFirst()
                                .ifPresent(r -> caught.putIfAbsent(sent.group(2), r));
                    }
                    if (!TRAFFIC.contains(a.path("kind").asText()) || !a.path("decision").asText().equals("allow")
                            || a.path("host").asText().isEmpty()) {
                        continue;
                    }
                    requests++;
                    var route = ROUTE_RULE.matcher(a.path("rule").asText());
                    if (route.matches() && Integer.parseInt(route.group(1)) < manifestRoutes.size()) {
                        // a route implies its host's allow rule
                        usedRoutes.add(Integer.parseInt(route.group(1)));
                        continue;
                    }
                    hosts.computeIfAbsent(a.path("host").asText(), h -> new Seen()).add(a);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
            }
        }
        List<Rule> rules = new ArrayList<>();
        hosts.forEach((host, seen) -> rules.add(seen.rule(host)));
        List<Route> routes = new ArrayList<>();
        usedRoutes.forEach(i -> routes.add(new Route(manifestRoutes.get(i).host().pattern(), manifestRoutes.get(i),
                Optional.empty())));
        caught.forEach((host, r) -> routes.add(new Route(host, r, Optional.of("the agent sent the "
                + r.host().pattern() + " placeholder here: keep only if " + host + " should get that credential"))));
        return new PolicyProposal(List.copyOf(rules), List.copyOf(routes), requests);
    }

    /** The proposal as the {@code egress} section of a manifest, ready to paste under a bottle. */
    String yaml() {
        if (allow.isEmpty() && routes.isEmpty()) {
            return "egress: {}  # the audit log shows no allowed traffic\n";
        }
        StringBuilder out = new StringBuilder("egress:\n");
        if (!allow.isEmpty()) {
            out.append("  allow:\n");
        }
        for (Rule r : allow) {
            out.append("    - host: ").append(r.host()).append('\n');
            scope(out, r.ports(), r.methods(), r.paths());
        }
        if (!routes.isEmpty()) {
            out.append("  routes:\n");
        }
        for (Route r : routes) {
            RouteDef d = r.def();
            out.append("    - host: ").append(r.host()).append(r.note().map(n -> "  # " + n).orElse("")).append('\n');
            scope(out, d.ports(), d.methods(), d.paths());
            out.append("      header: ").append(d.header()).append('\n');
            out.append("      value: \"").append(d.valueTemplate().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"\n");
            d.placeholder().ifPresent(p -> out.append("      placeholder: {env: ").append(p.env()).append(", value: ")
                    .append(p.value()).append("}\n"));
            if (d.optional()) {
                out.append("      optional: true\n");
            }
            if (d.allowPrivate()) {
                out.append("      private: true\n");
            }
            if (d.plainHttp()) {
                out.append("      plain_http: true\n");
            }
        }
        return out.toString();
    }

    /** The ports, methods and paths of an entry, those it has. */
    private static void scope(StringBuilder out, List<Integer> ports, List<String> methods, List<String> paths) {
        if (!ports.isEmpty()) {
            out.append("      ports: ").append(ports).append('\n');
        }
        if (!methods.isEmpty()) {
            out.append("      methods: [").append(String.join(", ", methods)).append("]\n");
        }
        if (!paths.isEmpty()) {
            out.append("      paths: [").append(String.join(", ", paths.stream().map(p -> "\"" + p + "\"").toList()))
                    .append("]\n");
        }
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
            return m;
        }).toList());
        json.put("routes", routes.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host());
            m.put("like", r.def().host().pattern());
            m.put("header", r.def().header());
            m.put("note", r.note().orElse(null));
            return m;
        }).toList());
        return json;
    }

    /** What one host was seen doing. */
    private static final class Seen {
        private final Set<Integer> ports = new TreeSet<>();
        private final Set<String> methods = new TreeSet<>();
        private final Set<String> prefixes = new TreeSet<>();
        private boolean tunnelled;
        private boolean root;

        void add(JsonNode a) {
            ports.add(a.path("port").asInt());
            if (a.path("kind").asText().equals("tunnel")) {
                tunnelled = true;
                return;
            }
            methods.add(a.path("method").asText());
            String path = a.path("path").asText("/");
            int q = path.indexOf('?');
            String bare = q >= 0 ? path.substring(0, q) : path;
            String[] segments = bare.split("/");
            if (segments.length < 2 || segments[1].isEmpty()) {
                root = true;
            } else {
                prefixes.add("/" + segments[1]);
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
