package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real bottles on the real engine. The upstream is a container on the egress network answering
 * as allowed.test, denied.test and api.test; it logs every request it gets. No traffic leaves
 * this machine.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRunIT {
    private static final String KEY = "it-REALVALUE-0f9e8d7c6b5a";
    private static final String EGRESS = "claude-bottle-it-egress";
    private static final String UPSTREAM = "claude-bottle-it-upstream";
    private static final String SERVER = "const http=require('http'),fs=require('fs');"
            + "http.createServer((q,s)=>{fs.appendFileSync('/tmp/requests.log',JSON.stringify({host:q.headers.host,"
            + "url:q.url,key:q.headers['x-api-key']||null})+'\\n');s.end('hello from '+q.headers.host+'\\n');})"
            + ".listen(80);";
    Path work;
    Path home;
    String upstreamIp;

    @BeforeAll
    void upstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  it:
                    egress:
                      allow:
                        - host: allowed.test
                      routes:
                        - host: api.test
                          header: x-api-key
                          value: "${IT_API_KEY}"
                          placeholder: {env: IT_API_KEY, value: bottle-placeholder}
                          private: true
                agents:
                  probe:
                    bottle: it
                    command: [bash]
                """);
        var built = cli().run("image", "build", "--agent", "--json");
        assertThat(built.exitCode()).as(built.err()).isZero();
        String agentImage = new ObjectMapper().readTree(built.out()).get(0).get("tag").asText();
        Docker.run("rm", "-f", UPSTREAM);
        if (Docker.run("network", "ls", "-q", "--filter", "name=^" + EGRESS + "$").isEmpty()) {
            Docker.run("network", "create", "--label", "claude-bottle-it=1", EGRESS);
        }
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "allowed.test", "--network-alias", "denied.test", "--network-alias", "api.test",
                agentImage, "node", "-e", SERVER);
        upstreamIp = Docker.run("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", UPSTREAM);
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_API_KEY", KEY);
    }

    private String upstreamLog() throws Exception {
        return Docker.run("exec", UPSTREAM, "sh", "-c", "cat /tmp/requests.log 2>/dev/null || true");
    }

    @Test
    void theGuestReachesOnlyWhatTheManifestAllowsAndNeverHoldsTheKey() throws Exception {
        String script = String.join("\n",
                "echo ID=$(id -un)",
                "echo ALLOWED=$(curl -s http://allowed.test/hello)",
                "echo DENIED=$(curl -s -o /dev/null -w '%{http_code}' http://denied.test/secret-path)",
                "echo ROUTE=$(curl -s -H \"x-api-key: $IT_API_KEY\" http://api.test/v1/messages)",
                "echo PLACEHOLDER=$IT_API_KEY",
                "getent hosts allowed.test >/dev/null && echo DNS=yes || echo DNS=no",
                "getent hosts claude-bottle-bundle >/dev/null && echo BUNDLE_HOSTS=yes || echo BUNDLE_HOSTS=no",
                "curl --noproxy '*' -s --connect-timeout 3 -o /dev/null http://" + upstreamIp
                        + "/ && echo DIRECT=yes || echo DIRECT=no",
                "echo ENV_KEY=$(env | grep -c REALVALUE)",
                "echo HOME_KEY=$(grep -rls REALVALUE ~ /etc /tmp 2>/dev/null | wc -l)");
        var r = cli().run("run", "probe", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("ID=node", "ALLOWED=hello from allowed.test", "DENIED=403",
                "ROUTE=hello from api.test", "PLACEHOLDER=bottle-placeholder", "DNS=no", "BUNDLE_HOSTS=yes",
                "DIRECT=no", "ENV_KEY=0", "HOME_KEY=0");
        assertThat(r.all()).doesNotContain(KEY);
        String log = upstreamLog();
        assertThat(log).contains("\"host\":\"allowed.test\",\"url\":\"/hello\"")
                .contains("\"host\":\"api.test\",\"url\":\"/v1/messages\",\"key\":\"" + KEY + "\"")
                .doesNotContain("denied.test").doesNotContain("bottle-placeholder");
    }

    @Test
    void dockerInspectOfTheGuestShowsNoKeyWhileItRuns() throws Exception {
        CompletableFuture<CliHarness.Result> running = CompletableFuture.supplyAsync(() ->
                cli().run("run", "probe", "--", "sleep", "15"));
        String guest = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (guest == null && System.nanoTime() < deadline) {
            var ids = Docker.containers("claude-bottle.role=guest");
            if (!ids.isEmpty() && Docker.run("inspect", "-f", "{{.State.Running}}", ids.get(0)).equals("true")) {
                guest = ids.get(0);
            } else {
                Thread.sleep(200);
            }
        }
        assertThat(guest).as("a running guest").isNotNull();
        String inspect = Docker.run("inspect", guest);
        assertThat(inspect).doesNotContain(KEY).contains("bottle-placeholder");
        String labels = Docker.run("inspect", "-f", "{{json .Config.Labels}}", guest);
        assertThat(labels).contains("claude-bottle.slug").contains("\"claude-bottle.role\":\"guest\"");
        assertThat(running.get(90, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void theCommandsExitCodeIsTheCliExitCodeAndNothingIsLeft() throws Exception {
        var r = cli().run("run", "probe", "--", "sh", "-c", "echo out; echo err >&2; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.out()).contains("out");
        assertThat(r.err()).contains("err");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
        try (var bottles = Files.list(home.resolve("bottles"))) {
            assertThat(bottles.toList()).isEmpty();
        }
    }

    @Test
    void aLaunchThatFailsAfterItsContainersExistLeavesNothing() throws Exception {
        var r = cli().env("CLAUDE_BOTTLE_GUEST_HOME", "/no/such/home").run("run", "probe", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("step 'home' (kernel) failed");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
    }
}
