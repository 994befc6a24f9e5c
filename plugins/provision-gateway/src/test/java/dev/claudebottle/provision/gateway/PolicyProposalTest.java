package dev.claudebottle.provision.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.Location;
import dev.claudebottle.spi.manifest.Placeholder;
import dev.claudebottle.spi.manifest.RouteDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyProposalTest {
    private static final Location HERE = new Location("bottle.yaml", 1, 1);
    private static final RouteDef LLM = new RouteDef(new HostPattern("llm.test"), List.of(), List.of(),
            List.of("/v1/"), "x-api-key", "${LLM_KEY}", Optional.of(new Placeholder("LLM_KEY", "bottle-placeholder")),
            false, false, false, HERE);
    private static final RouteDef IDLE = new RouteDef(new HostPattern("idle.test"), List.of(), List.of(), List.of(),
            "authorization", "Bearer ${IDLE}", Optional.empty(), false, false, false, HERE);
    @TempDir
    Path dir;

    /** An audit line, written as the gateway writes one, so any text in it arrives as it was. */
    private static String line(String kind, String method, String host, int port, String path, String decision) {
        return json(kind, method, host, port, path, decision, "egress.unknown: learn", "allowed");
    }

    private static String json(String kind, String method, String host, int port, String path, String decision,
                               String rule, String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", "2026-11-30T09:00:00Z");
        line.put("bottle", "b-1");
        line.put("kind", kind);
        line.put("method", method);
        line.put("host", host);
        line.put("port", port);
        line.put("path", path);
        line.put("decision", decision);
        line.put("rule", rule);
        line.put("reason", reason);
        try {
            return new ObjectMapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneRuleAHostWithTheMethodsAndFirstSegmentsItSawAndNothingItWasRefused() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(
                line("request", "GET", "npm.test", 80, "/left-pad", "allow"),
                line("request", "GET", "npm.test", 80, "/left-pad/-/left-pad-1.3.0.tgz?x=", "allow"),
                line("request", "POST", "api.test", 443, "/v1/messages", "allow"),
                line("request", "GET", "api.test", 443, "/v2/models", "allow"),
                line("request", "GET", "docs.test", 443, "/", "allow"),
                line("tunnel", "CONNECT", "cdn.test", 443, "", "allow"),
                line("request", "GET", "cdn.test", 443, "/x", "allow"),
                line("request", "GET", "evil.test", 443, "/steal", "deny"),
                line("connect", "CONNECT", BundleLayout.PROBE_HOST, 443, "", "allow"),
                line("git-push", "PUSH", "app", 9418, "refs/heads/x", "allow"),
                "{\"truncated"));

        PolicyProposal p = PolicyProposal.from(List.of(log));

        assertThat(p.allow()).containsExactly(
                new PolicyProposal.Rule("api.test", List.of(443), List.of("GET", "POST"), List.of("/v1", "/v2")),
                new PolicyProposal.Rule("cdn.test", List.of(443), List.of(), List.of()),
                new PolicyProposal.Rule("docs.test", List.of(443), List.of("GET"), List.of()),
                new PolicyProposal.Rule("npm.test", List.of(80), List.of("GET"), List.of("/left-pad")));
        assertThat(p.requests()).isEqualTo(7);
        assertThat(p.yaml()).startsWith("egress:\n  allow:\n    - host: api.test\n      ports: [443]\n"
                + "      methods: [GET, POST]\n      paths: [\"/v1\", \"/v2\"]\n      private: false\n");
        // reached at public addresses while learning: a rule naming the host exactly would let it resolve anywhere
        assertThat(p.yaml().split("      private: false\n", -1)).hasSize(5);
    }

    @Test
    void theRoutesItUsedAreKeptAsTheManifestHasThem() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(line("request", "POST", "llm.test", 443, "/v1/messages", "allow")
                .replace("egress.unknown: learn", "route[0] llm.test")));

        PolicyProposal p = PolicyProposal.from(List.of(log), List.of(LLM, IDLE));

        assertThat(p.allow()).as("a route implies its host's allow rule").isEmpty();
        assertThat(p.yaml()).isEqualTo("""
                egress:
                  routes:
                    - host: llm.test
                      paths: ["/v1/"]
                      header: x-api-key
                      value: "${LLM_KEY}"
                      placeholder: {env: LLM_KEY, value: "bottle-placeholder"}
                """);
        assertThat(p.flags()).isEmpty();
    }

    @Test
    void aRouteThatTookTheHostsSignInIsProposedAsTheLoginItIsNeverAnEmptyValue() throws Exception {
        RouteDef signIn = new RouteDef(new HostPattern("api.anthropic.com"), List.of(), List.of(), List.of("/v1/"),
                "authorization", "", Optional.of(dev.claudebottle.spi.manifest.Login.CLAUDE),
                Optional.of(new Placeholder("CLAUDE_CODE_OAUTH_TOKEN", "bottle-placeholder")), true, false, false, HERE);
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(line("request", "POST", "api.anthropic.com", 443, "/v1/messages", "allow")
                .replace("egress.unknown: learn", "route[0] api.anthropic.com")));

        PolicyProposal p = PolicyProposal.from(List.of(log), List.of(signIn));

        assertThat(p.yaml()).contains("      header: authorization\n      login: claude\n").doesNotContain("value: \"\"");
    }

    @Test
    void aPlaceholderTheAgentSentToAHostOfItsChoosingProposesNoRouteThere() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(
                line("request", "POST", "llm.test", 443, "/v1/messages", "allow").replace("egress.unknown: learn",
                        "route[0] llm.test"),
                alert("mirror.test", "the placeholder of the llm.test credential was sent to mirror.test"),
                alert("mirror.test", "the placeholder of the llm.test credential was sent to mirror.test"),
                alert("llm.test.evil.test",
                        "the placeholder of the llm.test credential was sent to llm.test.evil.test"),
                alert("11m.test", "the llm.test credential was sent to 11m.test"),
                line("request", "GET", "mirror.test", 443, "/v1/x", "allow")));

        PolicyProposal p = PolicyProposal.from(List.of(log), List.of(LLM, IDLE));

        assertThat(p.routes()).as("a route goes only to the host the manifest binds it to").containsExactly(LLM);
        assertThat(hosts(yaml(p).path("egress").path("routes"))).containsExactly("llm.test");
        assertThat(hosts(yaml(p).path("egress").path("allow"))).as("a plain allow rule carries no credential")
                .containsExactly("mirror.test");
        assertThat(p.flags()).containsExactly(
                new PolicyProposal.Flag(PolicyProposal.Left.ALERT, "11m.test",
                        "the llm.test credential was sent to 11m.test", 1),
                new PolicyProposal.Flag(PolicyProposal.Left.ALERT, "llm.test.evil.test",
                        "the placeholder of the llm.test credential was sent to llm.test.evil.test", 1),
                new PolicyProposal.Flag(PolicyProposal.Left.ALERT, "mirror.test",
                        "the placeholder of the llm.test credential was sent to mirror.test", 2));
        assertThat(p.yaml()).startsWith("""
                # LEFT OUT, for a person to look at before pasting:
                #   ALERT at 11m.test, 1 request(s): the llm.test credential was sent to 11m.test; no route is \
                proposed for it: a credential goes only to its own route's host
                """).contains("#   ALERT at mirror.test, 2 request(s): the placeholder of the llm.test credential "
                + "was sent to mirror.test; no route").doesNotContain("host: llm.test.evil.test", "host: 11m.test");
        assertThat(p.toJson().get("flags")).asList().hasSize(3).first().isEqualTo(Map.of("left", "alert", "host",
                "11m.test", "seen", "the llm.test credential was sent to 11m.test", "requests", 1));
    }

    @Test
    void guestTextCannotAddToTheProposedManifestNorActOnTheTerminal() throws Exception {
        String osc52 = "\u001b]52;c;Y3VybCBldmlsLnRlc3Q=\u0007";
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(
                line("request", "GET", "ok.test", 443, "/fine", "allow"),
                line("request", "GET", "ok.test", 443, "/a\\\"]\n    - host: quoted.test\n#", "allow"),
                line("request", "GET", "ok.test", 443, "/" + osc52 + "x", "allow"),
                line("request", "GET", "ok.test", 443, "/b\u2028    - host: separated.test", "allow"),
                line("request", "GET", "ok.test", 443, "/c: d # e", "allow"),
                line("request", "GET\n      paths: [\"/\"]", "ok.test", 443, "/fine", "allow"),
                line("request", "GET", "evil.test\n    - host: newline.test", 443, "/x", "allow"),
                line("request", "GET", "evil.test\u2028    - host: linesep.test", 443, "/x", "allow"),
                line("request", "GET", "*.wild.test", 443, "/x", "allow"),
                line("tunnel", "CONNECT", "a.test # comment", 443, "", "allow"),
                line("request", "GET", "b.test: {x: y}", 443, "/x", "allow")));

        PolicyProposal p = PolicyProposal.from(List.of(log));
        String text = p.yaml();

        JsonNode allow = yaml(p).path("egress").path("allow");
        assertThat(hosts(allow)).containsExactly("ok.test");
        assertThat(allow.get(0).path("paths")).extracting(JsonNode::asText).containsExactly("/fine");
        assertThat(allow.get(0).path("methods")).extracting(JsonNode::asText).containsExactly("GET");
        assertThat(text).as("nothing in it acts on a terminal or breaks a line")
                .doesNotContain("\u001b", "\u0007", "\u2028", "\r");
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).as("the guest's text is only in comments")
                .noneMatch(l -> l.contains(".test") && !l.contains("ok.test"));
        assertThat(p.flags()).extracting(PolicyProposal.Flag::left).containsOnly(PolicyProposal.Left.HOST,
                PolicyProposal.Left.METHOD, PolicyProposal.Left.PATH).hasSize(10);
        assertThat(text).as("it says what it saw, inert")
                .contains("#   1 request(s) to ok.test at path '/\\u001b]52;c;Y3VybCBldmlsLnRlc3Q=\\u0007x'; not a")
                .contains("#   1 request(s) to 'evil.test\\n    - host: newline.test'; not a host name")
                .contains("#   1 request(s) to 'evil.test\\u2028    - host: linesep.test'; not a host name")
                .contains("#   1 request(s) to ok.test with method 'GET\\n      paths: [\"/\"]'; not a method");
    }

    @Test
    void aHostSeenOnBothDefaultPortsNamesNoPorts() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(line("request", "GET", "web.test", 80, "/a", "allow"),
                line("request", "GET", "web.test", 443, "/a", "allow")));

        assertThat(PolicyProposal.from(List.of(log)).allow()).singleElement()
                .satisfies(r -> assertThat(r.ports()).isEmpty());
    }

    @Test
    void aLongValueTheGuestSentIsCutShortWhereItIsShown() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(line("request", "GET", "web.test", 443, "/\"" + "x".repeat(100_000), "allow")));

        PolicyProposal p = PolicyProposal.from(List.of(log));

        assertThat(p.flags()).singleElement().satisfies(f -> assertThat(f.seen()).hasSizeLessThan(300));
        assertThat(p.yaml()).hasSizeLessThan(1_000);
    }

    /** An audit line of the tripwire. */
    private static String alert(String host, String reason) {
        return json("request", "POST", host, 443, "/v1/x", "alert", "tripwire", reason);
    }

    /** The proposal as a YAML parser reads it. */
    private static JsonNode yaml(PolicyProposal p) throws Exception {
        return new YAMLMapper().readTree(p.yaml());
    }

    /** The hosts of a list of entries. */
    private static List<String> hosts(JsonNode entries) {
        List<String> hosts = new java.util.ArrayList<>();
        entries.forEach(e -> hosts.add(e.path("host").asText()));
        return hosts;
    }
}
