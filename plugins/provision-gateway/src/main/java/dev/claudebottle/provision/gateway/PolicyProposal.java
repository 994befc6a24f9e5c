package dev.claudebottle.provision.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.bundle.BundleLayout;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The smallest {@code egress.allow} that lets through what a bottle's gateway let through, read
 * from its audit log ({@code bottle policy propose}): one rule a host, the ports it saw (none when
 * they are 80 and 443, the default), the methods it saw, and the first path segments it saw (a host reached at {@code /}, or
 * only through an undecrypted tunnel, gets no path rule; a tunnel, no method rule either).
 *
 * @param allow    the rules, by host
 * @param requests how many allowed requests and tunnels they cover
 */
record PolicyProposal(List<Rule> allow, int requests) {
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

    /** Reads the audit files, skipping lines that are not JSON (a truncated last line). */
    static PolicyProposal from(List<Path> files) {
        Map<String, Seen> hosts = new TreeMap<>();
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
                    if (a == null || !TRAFFIC.contains(a.path("kind").asText()) || !a.path("decision").asText()
                            .equals("allow") || a.path("host").asText().isEmpty()
                            || a.path("host").asText().equals(BundleLayout.PROBE_HOST)) {
                        continue;
                    }
                    requests++;
                    hosts.computeIfAbsent(a.path("host").asText(), h -> new Seen()).add(a);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
            }
        }
        List<Rule> rules = new ArrayList<>();
        hosts.forEach((host, seen) -> rules.add(seen.rule(host)));
        return new PolicyProposal(List.copyOf(rules), requests);
    }

    /** The proposal as the {@code egress} section of a manifest, ready to paste under a bottle. */
    String yaml() {
        StringBuilder out = new StringBuilder("egress:\n  allow:\n");
        if (allow.isEmpty()) {
            out.setLength(0);
            return out.append("egress: {}  # the audit log shows no allowed traffic\n").toString();
        }
        for (Rule r : allow) {
            out.append("    - host: ").append(r.host()).append('\n');
            if (!r.ports().isEmpty()) {
                out.append("      ports: ").append(r.ports()).append('\n');
            }
            if (!r.methods().isEmpty()) {
                out.append("      methods: [").append(String.join(", ", r.methods())).append("]\n");
            }
            if (!r.paths().isEmpty()) {
                out.append("      paths: [").append(String.join(", ", r.paths().stream().map(p -> "\"" + p + "\"")
                        .toList())).append("]\n");
            }
        }
        return out.toString();
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
