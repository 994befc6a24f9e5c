package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent fights {@code bottle verify} in a real bottle, and verify is not fooled: a process of
 * the agent's that kills every probe it can find, a {@code ~/.curlrc} and {@code ~/.gitconfig} that
 * send the probes' clients elsewhere, FIFOs where the probes used to read files, a real value in
 * the environment of one of its processes, and a guest put on a further network with its firewall
 * flushed while nothing listens where the probes knock. The upstream is a container on the IT's
 * egress network; no traffic leaves this machine.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProbeAttackIT {
    private static final String KEY = "it-REALVALUE-7a6b5c4d3e2f";
    private static final String EGRESS = "claude-bottle-it-probe-egress";
    private static final String ELSEWHERE = "claude-bottle-it-probe-elsewhere";
    private static final String UPSTREAM = "claude-bottle-it-probe-upstream";
    /** Kills, as the agent, every process of the probes it can see; its own command line matches none of them. */
    private static final String KILLER = "while :; do pkill -KILL -f 'cur[l]'; pkill -KILL -f 'dev/tc[p]'; "
            + "pkill -KILL -x getent; pkill -KILL -x node; pkill -KILL -x git; pkill -KILL -x cat; "
            + "pkill -KILL -x timeout; done";
    private static final JsonNode NONE = new ObjectMapper().createObjectNode();
    Path work;
    Path home;

    @BeforeAll
    void upstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  routed:
                    egress:
                      allow:
                        - host: allowed.test
                      routes:
                        - host: api.test
                          ports: [80]
                          header: x-api-key
                          value: "${IT_API_KEY}"
                          placeholder: {env: IT_API_KEY, value: bottle-placeholder}
                          private: true
                          plain_http: true
                agents:
                  target:
                    bottle: routed
                    command: [bash]
                """);
        String agentImage = cli().agentImage();
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.ensureNetwork(ELSEWHERE);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "allowed.test", "--network-alias", "api.test", agentImage, "node", "-e",
                "require('http').createServer((q,s)=>s.end('hello\\n')).listen(80)");
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("network", "rm", EGRESS);
        Docker.run("network", "rm", ELSEWHERE);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_API_KEY", KEY);
    }

    /** Starts a bottle whose launch proved its fence, and returns its slug. */
    private String start() throws Exception {
        var started = cli().run("start", "target", "--detach", "--json");
        assertThat(started.exitCode()).as(started.all()).isZero();
        return new ObjectMapper().readTree(started.out()).get("slug").asText();
    }

    private static String guest(String slug) {
        return "claude-bottle-" + slug + "-guest";
    }

    /** {@code bottle verify SLUG --json}: its exit code and its rows by probe id. */
    private Verified verify(String slug) throws Exception {
        var r = cli().run("verify", slug, "--json");
        assertThat(r.all()).as("no probe shows the real value").doesNotContain(KEY);
        Map<String, JsonNode> rows = new HashMap<>();
        if (r.exitCode() == ExitCodes.OK || r.exitCode() == ExitCodes.ENVIRONMENT) {
            for (JsonNode row : new ObjectMapper().readTree(r.out())) {
                java.util.List<String> fields = new java.util.ArrayList<>();
                row.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).as("the shape of verify --json").containsExactly("id", "plugin", "proves", "held",
                        "saw", "ms");
                rows.put(row.get("id").asText(), row);
            }
        }
        return new Verified(r.exitCode(), rows, r.all());
    }

    /** What one verify said. */
    private record Verified(int exitCode, Map<String, JsonNode> rows, String all) {
        boolean held(String id) {
            return rows.getOrDefault(id, NONE).path("held").asBoolean(false);
        }

        String saw(String id) {
            return rows.getOrDefault(id, NONE).path("saw").asText("");
        }
    }

    /** Flushes the guest's own firewall from a helper in its network namespace, as a broken launch would leave it. */
    private static void flushFirewall(String slug) throws Exception {
        String bundleImage = Docker.run("inspect", "-f", "{{.Config.Image}}", "claude-bottle-" + slug + "-bundle");
        Docker.run("run", "--rm", "--network", "container:" + guest(slug), "--cap-add", "NET_ADMIN", "--entrypoint",
                "iptables", bundleImage, "-F", "OUTPUT");
    }

    @Test
    @Timeout(600)
    void aProcessOfTheAgentsThatKillsProbesCannotMakeABrokenFenceHold() throws Exception {
        String slug = start();
        // something the host serves on all its addresses, which a guest with its firewall flushed reaches
        try (java.net.ServerSocket hostService = new java.net.ServerSocket(9418, 50,
                java.net.InetAddress.getByName("0.0.0.0"))) {
            flushFirewall(slug);
            Docker.run("exec", "-d", "-u", "node", guest(slug), "sh", "-c", KILLER);
            Await.until(Duration.ofSeconds(60), "the killer to run as the agent", () -> Docker.run("exec", guest(slug),
                    "ps", "-o", "user=,args=", "-C", "sh").matches("(?s).*node +sh -c while :; do pkill.*"));

            // the reported attack turned a broken fence into exit 0 in 12 of 13 tries
            for (int attempt = 0; attempt < 5; attempt++) {
                Verified v = verify(slug);

                assertThat(v.exitCode()).as(v.all()).isEqualTo(ExitCodes.ENVIRONMENT);
                assertThat(v.held("docker.no-route")).isFalse();
                assertThat(v.saw("docker.no-route")).as("the probe ran to its end as root, out of the killer's reach")
                        .containsPattern("the guest connected to [0-9.]+:9418");
                assertThat(v.held("docker.fence-intact")).isFalse();
                assertThat(v.held("gateway.refuses-unknown")).as(v.saw("gateway.refuses-unknown")).isTrue();
                assertThat(v.held("gateway.no-real-values")).as(v.saw("gateway.no-real-values")).isTrue();
            }
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    @Timeout(600)
    void theAgentsClientConfigsChangeNothingAProbeDoesAndFifosInTheirPlaceHangNothing() throws Exception {
        String slug = start();
        try {
            // a config that sends every curl and git of the agent's to a port where nothing listens
            var configured = cli().run("exec", slug, "--", "sh", "-c", "printf 'proxy = \"http://127.0.0.1:1\"\\n"
                    + "connect-to = \"::127.0.0.1:1\"\\ninsecure\\n' > ~/.curlrc && git config --global http.proxy "
                    + "http://127.0.0.1:1 && git config --global http.sslVerify false");
            assertThat(configured.exitCode()).as(configured.all()).isZero();

            Verified v = verify(slug);

            assertThat(v.exitCode()).as(v.all()).isZero();
            assertThat(v.saw("gateway.refuses-unknown")).contains("refused with 403");
            assertThat(v.saw("gateway.ca-trusted")).contains("curl, node and git verified the gateway's certificate");

            // FIFOs nobody writes to where the clients look for their configs: a read of one waits for ever
            var swapped = cli().run("exec", slug, "--", "sh", "-c", "rm -f ~/.curlrc ~/.gitconfig && mkfifo ~/.curlrc "
                    + "~/.gitconfig ~/.npmrc /tmp/claude-bottle-probe.fifo");
            assertThat(swapped.exitCode()).as(swapped.all()).isZero();
            // and a file the agent keeps turning into a FIFO and back while the probes read its home
            Docker.run("exec", "-d", "-u", "node", guest(slug), "sh", "-c", "while :; do rm -f ~/swap; "
                    + "echo x > ~/swap; rm -f ~/swap; mkfifo ~/swap; done");

            long start = System.nanoTime();
            Verified fifo = CompletableFuture.supplyAsync(() -> {
                try {
                    return verify(slug);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(300, TimeUnit.SECONDS);

            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("verify finished in its deadlines")
                    .isLessThan(300);
            assertThat(fifo.held("gateway.refuses-unknown")).as(fifo.saw("gateway.refuses-unknown")).isTrue();
            assertThat(fifo.held("gateway.ca-trusted")).as(fifo.saw("gateway.ca-trusted")).isTrue();
            assertThat(fifo.held("docker.no-route")).isTrue();
            assertThat(fifo.held("docker.fence-intact")).isTrue();
            // the swapped file is read, or its read is cut off and said to be: never a hang, never a hold on a cut
            assertThat(fifo.held("gateway.no-real-values") || fifo.saw("gateway.no-real-values")
                    .startsWith("a guest file could not be read within seconds")).as(fifo.saw("gateway.no-real-values"))
                    .isTrue();
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    @Timeout(600)
    void aRealValueInTheEnvironmentOfAnAgentProcessIsFound() throws Exception {
        String slug = start();
        try {
            assertThat(verify(slug).exitCode()).isZero();
            // the value comes in on standard input, so it is on no command line: only in the sleep's environment
            var placed = cli().runWithInput(new ByteArrayInputStream((KEY + "\n").getBytes(StandardCharsets.UTF_8)),
                    "exec", slug, "--", "sh", "-c", "read -r v; SECRET=\"$v\" setsid sleep 600 </dev/null >/dev/null "
                            + "2>&1 &");
            assertThat(placed.exitCode()).as(placed.all()).isZero();
            Await.until(Duration.ofSeconds(60), "the agent's sleep to hold the value", () -> Docker.run("exec",
                    guest(slug), "ps", "-o", "user=,args=", "-C", "sleep").matches("(?s).*node +sleep 600.*"));

            Verified v = verify(slug);

            assertThat(v.exitCode()).as(v.all()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(v.held("gateway.no-real-values")).isFalse();
            assertThat(v.saw("gateway.no-real-values")).startsWith("the real value of route api.test (x-api-key) at ")
                    .endsWith(" is in the environment or command line of a guest process");
            assertThat(v.rows().keySet()).hasSize(8);
            assertThat(v.rows().values()).filteredOn(row -> !row.get("held").asBoolean()).hasSize(1);
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    @Timeout(600)
    void aGuestPutOnAnotherNetworkWithItsFirewallFlushedMissesWhereNothingListens() throws Exception {
        String slug = start();
        try {
            Docker.run("network", "connect", ELSEWHERE, guest(slug));
            flushFirewall(slug);

            Verified v = verify(slug);

            assertThat(v.exitCode()).as(v.all()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(v.held("docker.fence-intact")).isFalse();
            assertThat(v.saw("docker.fence-intact")).contains("the guest is attached to ").contains(ELSEWHERE)
                    .contains("not to claude-bottle-" + slug + " alone");
            var text = cli().run("verify", slug);
            assertThat(text.exitCode()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(text.out()).containsPattern("MISSED +'docker.fence-intact' \\(backend-docker\\)")
                    .contains("isolation NOT verified");

            // the engine's view put right while the guest's own is still broken: its routes and rules still miss
            Docker.run("network", "disconnect", ELSEWHERE, guest(slug));
            Verified rules = verify(slug);
            assertThat(rules.exitCode()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(rules.saw("docker.fence-intact")).isEqualTo("the guest's OUTPUT chain has none of the fence's "
                    + "rules");
        } finally {
            cli().run("stop", slug);
        }
    }
}
