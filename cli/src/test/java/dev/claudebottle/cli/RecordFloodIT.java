package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest floods its record from a real bottle: thousands of refused requests at once, with allowed
 * ones among them. The record keeps every request that reached the upstream, sums the refusals it
 * left out in one line, keeps the host's lifecycle lines, and still verifies.
 */
@Tag("docker")
class RecordFloodIT {
    private static final String EGRESS = "claude-bottle-it-record-egress";
    private static final String UPSTREAM = "claude-bottle-it-record-upstream";
    private static final String SERVER = "const http=require('http'),fs=require('fs');"
            + "http.createServer((q,s)=>{fs.appendFileSync('/tmp/requests.log',q.url+'\\n');s.end('ok\\n');})"
            + ".listen(80);";
    private static final int REFUSED = 6000;
    private static final int ALLOWED = 300;

    @Test
    void aFloodOfRefusalsNeverHidesAllowedRequestsNorTheStartLineAndTheRecordStillVerifies(@TempDir Path temp)
            throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path work = Files.createDirectories(temp.resolve("work"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  flooded:
                    egress:
                      allow:
                        - host: allowed.test
                agents:
                  flooder:
                    bottle: flooded
                    command: [bash]
                """);
        CliHarness cli = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "allowed.test", "--network-alias", "denied.test", cli.agentImage(), "node", "-e",
                SERVER);
        String slug = null;
        try {
            var started = cli.run("start", "flooder", "--detach");
            assertThat(started.exitCode()).as(started.all()).isZero();
            slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();

            // both loops at once, curl's own parallel transfers: far past the burst and the rate of refusals
            var flood = cli.run("exec", slug, "--", "sh", "-c", "curl -s -Z --parallel-max 32 "
                    + "'http://denied.test/r[1-" + REFUSED + "]' >/dev/null & curl -s -Z --parallel-max 4 "
                    + "'http://allowed.test/a[1-" + ALLOWED + "]' >/dev/null & wait; "
                    + "curl -s -o /dev/null -w '%{http_code}' http://allowed.test/after");
            assertThat(flood.out()).as(flood.all()).endsWith("200");
            String reached = Docker.run("exec", UPSTREAM, "sh", "-c", "grep -c '^/a[0-9]' /tmp/requests.log");
            assertThat(reached).as("every allowed request reached the upstream").isEqualTo(String.valueOf(ALLOWED));

            assertThat(cli.run("stop", slug).exitCode()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            new ObjectMapper().readTree(cli.run("logs", slug, "--egress", "--json").out()).forEach(lines::add);

            assertThat(lines).filteredOn(l -> l.path("host").asText().equals("allowed.test")
                            && l.path("decision").asText().equals("allow") && l.path("path").asText().matches("/a[0-9]+"))
                    .as("the record holds every request that reached the upstream").hasSize(ALLOWED);
            assertThat(lines).filteredOn(l -> l.path("decision").asText().equals("deny"))
                    .as("refusals were cut to the rate").hasSizeLessThan(REFUSED);
            assertThat(lines).filteredOn(l -> l.path("kind").asText().equals("audit")
                            && l.path("rule").asText().equals("rate"))
                    .as("and the record says how many of which it left out").isNotEmpty()
                    .allSatisfy(l -> assertThat(l.path("reason").asText()).contains("request deny"));
            assertThat(lines).filteredOn(l -> l.path("kind").asText().equals("lifecycle"))
                    .extracting(l -> l.path("event").asText()).containsSubsequence("start", "verify", "stop");
            var verified = cli.run("logs", slug, "--verify");
            assertThat(verified.exitCode()).as(verified.all()).isZero();
            assertThat(verified.out()).contains("chains");
        } finally {
            if (slug != null) {
                cli.run("stop", slug);
            }
            Docker.run("rm", "-f", UPSTREAM);
            Docker.run("network", "rm", EGRESS);
        }
    }
}
