package dev.claudebottle.provision.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.bundle.BundleLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyProposalTest {
    @TempDir
    Path dir;

    private static String line(String kind, String method, String host, int port, String path, String decision) {
        return "{\"time\":\"2026-11-30T09:00:00Z\",\"bottle\":\"b-1\",\"kind\":\"" + kind + "\",\"method\":\"" + method
                + "\",\"host\":\"" + host + "\",\"port\":" + port + ",\"path\":\"" + path + "\",\"decision\":\""
                + decision + "\",\"rule\":\"egress.unknown: learn\"}";
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
                + "      methods: [GET, POST]\n      paths: [\"/v1\", \"/v2\"]\n");
    }

    @Test
    void theRoutesItUsedAreKeptAndAPlaceholderCaughtElsewhereProposesItsRouteThereMarked() throws Exception {
        var here = new dev.claudebottle.spi.manifest.Location("bottle.yaml", 1, 1);
        var llm = new dev.claudebottle.spi.manifest.RouteDef(new dev.claudebottle.spi.manifest.HostPattern("llm.test"),
                List.of(), List.of(), List.of("/v1/"), "x-api-key", "${LLM_KEY}", java.util.Optional.of(
                        new dev.claudebottle.spi.manifest.Placeholder("LLM_KEY", "bottle-placeholder")), false, false,
                false, here);
        var unused = new dev.claudebottle.spi.manifest.RouteDef(new dev.claudebottle.spi.manifest.HostPattern(
                "idle.test"), List.of(), List.of(), List.of(), "authorization", "Bearer ${IDLE}", java.util.Optional
                .empty(), false, false, false, here);
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(
                line("request", "POST", "llm.test", 443, "/v1/messages", "allow").replace("egress.unknown: learn",
                        "route[0] llm.test"),
                "{\"kind\":\"request\",\"method\":\"POST\",\"host\":\"mirror.test\",\"port\":443,\"path\":\"/v1/x\","
                        + "\"decision\":\"alert\",\"rule\":\"tripwire\",\"reason\":\"the placeholder of the llm.test "
                        + "credential was sent to mirror.test\"}"));

        PolicyProposal p = PolicyProposal.from(List.of(log), List.of(llm, unused));

        assertThat(p.allow()).as("a route implies its host's allow rule").isEmpty();
        assertThat(p.routes()).extracting(PolicyProposal.Route::host).containsExactly("llm.test", "mirror.test");
        assertThat(p.yaml()).isEqualTo("""
                egress:
                  routes:
                    - host: llm.test
                      paths: ["/v1/"]
                      header: x-api-key
                      value: "${LLM_KEY}"
                      placeholder: {env: LLM_KEY, value: bottle-placeholder}
                    - host: mirror.test  # the agent sent the llm.test placeholder here: keep only if mirror.test should get that credential
                      paths: ["/v1/"]
                      header: x-api-key
                      value: "${LLM_KEY}"
                      placeholder: {env: LLM_KEY, value: bottle-placeholder}
                """);
    }

    @Test
    void aHostSeenOnBothDefaultPortsNamesNoPorts() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        Files.write(log, List.of(line("request", "GET", "web.test", 80, "/a", "allow"),
                line("request", "GET", "web.test", 443, "/a", "allow")));

        assertThat(PolicyProposal.from(List.of(log)).allow()).singleElement()
                .satisfies(r -> assertThat(r.ports()).isEmpty());
    }
}
