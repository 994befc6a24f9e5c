package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final String FAKE_API = "claude-bottle-it-fake-anthropic";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-IT-REAL-KEY-000000000000000";
    /** An upstream that logs each request's host, path and key, for the ITs that check what reached it. */
    static final String SERVER = "const http=require('http'),fs=require('fs');"
            + "http.createServer((q,s)=>{fs.appendFileSync('/tmp/requests.log',JSON.stringify({host:q.headers.host,"
            + "url:q.url,key:q.headers['x-api-key']||null})+'\\n');s.end('hello from '+q.headers.host+'\\n');})"
            + ".listen(80);";
    /** The egress of the bottles that reach allowed.test and api.test with the IT's key. */
    static final String API_EGRESS = """
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
            """;
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
                """ + API_EGRESS + """
                  llm:
                    env:
                      ANTHROPIC_BASE_URL: http://llm.test
                      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1"
                      DISABLE_AUTOUPDATER: "1"
                    egress:
                      routes:
                        - host: llm.test
                          ports: [80]
                          header: x-api-key
                          value: "${ANTHROPIC_API_KEY}"
                          placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                          private: true
                          plain_http: true
                  fenced:
                    egress:
                      allow:
                        - host: allowed.test
                    supervise: {timeout: 1m}
                  tripwired:
                """ + API_EGRESS + """
                      on_alert: stop
                  logged:
                """ + API_EGRESS + """
                agents:
                  tripper:
                    bottle: tripwired
                    command: [bash]
                  logger:
                    bottle: logged
                    command: [bash]
                  probe:
                    bottle: it
                    command: [bash]
                  neighbour:
                    bottle: fenced
                    command: [bash]
                  coder:
                    bottle: llm
                    prompt: "Answer in one word."
                  oneshot:
                    bottle: it
                    command: [sh, -c, "echo RESUMED-AS-$(id -un); exit 3"]
                """);
        String agentImage = cli().agentImage();
        Docker.run("rm", "-f", UPSTREAM);
        Docker.ensureNetwork(EGRESS);
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "allowed.test", "--network-alias", "denied.test", "--network-alias", "api.test",
                "--network-alias", "otlp.test",
                agentImage, "node", "-e", SERVER);
        upstreamIp = Docker.run("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", UPSTREAM);
        Docker.run("rm", "-f", FAKE_API);
        Path script = Path.of(getClass().getResource("/fake-anthropic.js").toURI());
        Docker.run("run", "-d", "--name", FAKE_API, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "llm.test", "-v", script + ":/srv/fake-anthropic.js:ro", agentImage, "node",
                "/srv/fake-anthropic.js");
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM);
        Docker.run("rm", "-f", FAKE_API);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_API_KEY", KEY)
                .env("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
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
                "echo TRIP=$(curl -s -o /dev/null -w '%{http_code}' -H \"x-api-key: $IT_API_KEY\" http://allowed.test/trip)",
                "echo DLP=$(curl -s -o /dev/null -w '%{http_code}' -d 'aws=AKIA' -d 'k=ABCDEFGHIJKLMNOP' "
                        + "http://allowed.test/dlp --data-urlencode 'x=AKIAABCDEFGHIJKLMNOP')",
                "getent hosts allowed.test >/dev/null && echo DNS=yes || echo DNS=no",
                "getent hosts claude-bottle-bundle >/dev/null && echo BUNDLE_HOSTS=yes || echo BUNDLE_HOSTS=no",
                "echo OWN_NAME=$(hostname -f 2>/dev/null || echo unresolved)",
                "echo STATE_PATHS=$(grep -c '" + home + "' /proc/self/mountinfo)",
                "curl --noproxy '*' -s --connect-timeout 3 -o /dev/null http://" + upstreamIp
                        + "/ && echo DIRECT=yes || echo DIRECT=no",
                "echo ENV_KEY=$(env | grep -c REALVALUE)",
                "echo HOME_KEY=$(grep -rls REALVALUE ~ /etc /tmp 2>/dev/null | wc -l)");
        var r = cli().run("run", "probe", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("ID=node", "ALLOWED=hello from allowed.test", "DENIED=403",
                "ROUTE=hello from api.test", "PLACEHOLDER=bottle-placeholder", "TRIP=403", "DLP=403", "DNS=no",
                "BUNDLE_HOSTS=yes", "OWN_NAME=probe-", "STATE_PATHS=0",
                "DIRECT=no", "ENV_KEY=0", "HOME_KEY=0");
        assertThat(r.all()).doesNotContain(KEY);
        String log = upstreamLog();
        assertThat(log).contains("\"host\":\"allowed.test\",\"url\":\"/hello\"")
                .contains("\"host\":\"api.test\",\"url\":\"/v1/messages\",\"key\":\"" + KEY + "\"")
                .doesNotContain("denied.test").doesNotContain("bottle-placeholder").doesNotContain("/trip")
                .doesNotContain("/dlp");
    }

    @Test
    void dockerInspectOfTheGuestAndOfTheBundleShowsNoKeyWhileItRuns() throws Exception {
        CompletableFuture<CliHarness.Result> running = CompletableFuture.supplyAsync(() ->
                cli().run("run", "probe", "--", "sleep", "15"));
        try {
            String guest = waitForRunningGuest();
            String inspect = Docker.run("inspect", guest);
            assertThat(inspect).doesNotContain(KEY).contains("bottle-placeholder");
            // the route's value is in the bundle's own files, not its container's env
            String bundle = Docker.run("inspect", "-f", "{{.Name}}", guest).replaceAll("^/|-guest$", "") + "-bundle";
            assertThat(Docker.run("inspect", bundle)).doesNotContain(KEY).contains("CLAUDE_BOTTLE_SLUG=");
            assertThat(Docker.run("exec", bundle, "stat", "-c", "%a %U", "/run/claude-bottle/bound-values.json"))
                    .isEqualTo("400 root");
            String labels = Docker.run("inspect", "-f", "{{json .Config.Labels}}", guest);
            assertThat(labels).contains("claude-bottle.slug").contains("\"claude-bottle.role\":\"guest\"");
            // the env of every process in the guest, read as root: PID 1 and the agent's command
            String commands = "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done";
            Await.until(Duration.ofSeconds(10), "the agent's command in the guest",
                    () -> Docker.run("exec", "-u", "root", guest, "sh", "-c", commands).contains("sleep 15"));
            String environs = Docker.run("exec", "-u", "root", guest, "sh", "-c",
                    "for p in /proc/[0-9]*; do echo \"== $(tr '\\0' ' ' < $p/cmdline)\"; "
                            + "tr '\\0' '\\n' < $p/environ; done 2>/dev/null");
            assertThat(environs).contains("== sleep infinity", "== sleep 15").doesNotContain(KEY)
                    .contains("IT_API_KEY=bottle-placeholder");
        } finally {
            assertThat(running.get(90, TimeUnit.SECONDS).exitCode()).isZero();
        }
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
    @org.junit.jupiter.api.Timeout(180)
    void standardInputReachesTheCommandWhichSeesItsEnd() throws Exception {
        byte[] input = new byte[1 << 20];
        new java.util.Random(7).nextBytes(input);
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(input));
        // sha256sum prints only once its input ended: a command that never saw the end would hang here
        var r = cli().runWithInput(new java.io.ByteArrayInputStream(input), "run", "probe", "--", "sh", "-c",
                "sha256sum; exit 3");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).contains(expected);
    }

    @Test
    void aLaunchThatFailsAfterItsContainersExistLeavesNothing() throws Exception {
        var r = cli().env("CLAUDE_BOTTLE_GUEST_HOME", "/no/such/home").run("run", "probe", "--", "true");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("step 'home' (kernel) failed");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
    }

    @Test
    void everyLaunchProvesItsFenceAndVerifyFindsItBroken() throws Exception {
        var started = cli().run("start", "probe", "--detach", "--json");
        assertThat(started.exitCode()).as(started.err()).isZero();
        assertThat(started.err()).containsPattern("isolation verified: 8 probes in \\d+ ms");
        var json = new ObjectMapper().readTree(started.out());
        String slug = json.get("slug").asText();
        assertThat(json.get("isolation").findValuesAsText("held")).hasSize(8).containsOnly("true");
        try {
            var verified = cli().run("verify", slug, "--json");
            assertThat(verified.exitCode()).as(verified.err()).isZero();
            var rows = new ObjectMapper().readTree(verified.out());
            assertThat(rows.findValuesAsText("id")).containsExactlyInAnyOrder("gateway.refuses-unknown",
                    "gateway.ca-trusted", "gateway.runtimes-trust", "gateway.tripwire", "gateway.no-real-values",
                    "docker.no-route", "docker.no-dns", "docker.fence-intact");
            assertThat(rows.findValuesAsText("held")).containsOnly("true");
            assertThat(rows.findValuesAsText("saw")).anySatisfy(saw -> assertThat(saw).contains("curl, node and git "
                    + "verified the gateway's certificate for api.test:80"));
            assertThat(upstreamLog()).as("no probe reached the upstream").doesNotContain("claude-bottle-probe");
            assertThat(verified.all()).doesNotContain(KEY);
            // Something the host serves on all its addresses, which the guest must never reach.
            try (java.net.ServerSocket hostService = new java.net.ServerSocket(9418, 50,
                    java.net.InetAddress.getByName("0.0.0.0"))) {
                String guest = "claude-bottle-" + slug + "-guest";
                String bundleImage = Docker.run("inspect", "-f", "{{.Config.Image}}", "claude-bottle-" + slug + "-bundle");
                Docker.run("run", "--rm", "--network", "container:" + guest, "--cap-add", "NET_ADMIN", "--entrypoint",
                        "iptables", bundleImage, "-F", "OUTPUT");

                var broken = cli().run("verify", slug);

                assertThat(broken.exitCode()).as(broken.all()).isEqualTo(ExitCodes.ENVIRONMENT);
                assertThat(broken.out()).containsPattern("MISSED +'docker.no-route' \\(backend-docker\\) the guest "
                        + "connected to [0-9.]+:9418").containsPattern("MISSED +'docker.no-dns'")
                        .containsPattern("MISSED +'docker.fence-intact' \\(backend-docker\\) the guest's OUTPUT chain "
                                + "has none of the fence's rules")
                        .contains("isolation NOT verified: 3 of 8 probes missed");

                var resumed = cli().run("resume", slug);
                assertThat(resumed.exitCode()).isEqualTo(ExitCodes.ENVIRONMENT);
                assertThat(resumed.err()).contains("the fence of " + slug + " does not hold: docker.no-route: the guest "
                        + "connected to").contains("the bottle was left running");
                assertThat(new ObjectMapper().readTree(cli().run("ls", "--json").out()).findValuesAsText("slug"))
                        .contains(slug);
            }
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void aTrippedWireTaintsTheBottleWhichGoesOnWithOnAlertLog() throws Exception {
        var started = cli().run("start", "logger", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            assertThat(new ObjectMapper().readTree(cli().run("ls", "--json").out()).findValuesAsText("tainted"))
                    .containsOnly("false");
            assertThat(trip(slug, "/logged-trip")).isEqualTo("403");

            var ls = new ObjectMapper().readTree(cli().run("ls", "--json").out());
            assertThat(ls.findValuesAsText("tainted")).containsOnly("true");
            assertThat(ls.get(0).get("alert").get("rule").asText()).isEqualTo("tripwire");
            assertThat(cli().run("ls").out()).contains("TAINTED");
            String after = cli().run("exec", slug, "--", "curl", "-s", "http://allowed.test/logged-after").out();
            assertThat(after).as("on_alert: log lets the bottle go on").contains("hello from allowed.test");
            assertThat(upstreamLog()).contains("/logged-after").doesNotContain("/logged-trip");
        } finally {
            cli().run("stop", slug);
        }
        assertAuditKept(slug);
    }

    @Test
    void aDetachedBottleWithOnAlertStopIsStoppedAtItsFirstAlert() throws Exception {
        var started = cli().run("start", "tripper", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            String before = cli().run("exec", slug, "--", "curl", "-s", "http://allowed.test/before").out();
            assertThat(before).contains("hello from allowed.test");
            assertThat(trip(slug, "/trip")).isEqualTo("403");

            Await.until(Duration.ofSeconds(60), "the bottle to stop at its first alert",
                    () -> !Files.exists(home.resolve("bottles").resolve(slug))
                            && Docker.containers("claude-bottle.slug=" + slug).isEmpty());
            assertThat(home.resolve("bottles").resolve(slug)).as("no command is attached, yet it is stopped")
                    .doesNotExist();
            assertThat(Docker.containers("claude-bottle.slug=" + slug)).isEmpty();
            assertThat(upstreamLog()).contains("/before").doesNotContain("/trip");
        } finally {
            cli().run("stop", slug);
        }
        assertAuditKept(slug);
    }

    /** Sends the route's placeholder to a host that is not its route, and returns the status seen. */
    private String trip(String slug, String path) {
        return cli().run("exec", slug, "--", "sh", "-c", "curl -s -o /dev/null -w '%{http_code}' "
                + "-H \"x-api-key: $IT_API_KEY\" http://allowed.test" + path).out();
    }

    private void assertAuditKept(String slug) throws Exception {
        Path record = home.resolve("records").resolve(slug).resolve("audit.jsonl");
        assertThat(record).as("the record outlives the bottle").exists();
        assertThat(Files.readString(record)).contains("\"decision\":\"alert\"");
        assertThat(home.resolve("bottles").resolve(slug)).doesNotExist();
        assertThat(Docker.containers("claude-bottle.slug=" + slug)).isEmpty();
        var logs = cli().run("logs", slug, "--egress", "--kind", "request", "--json");
        assertThat(logs.exitCode()).as("the record of a stopped bottle: " + logs.err()).isZero();
        assertThat(new ObjectMapper().readTree(logs.out()).findValuesAsText("kind")).isNotEmpty().containsOnly("request");
        var verified = cli().run("logs", slug, "--verify");
        assertThat(verified.exitCode()).as(verified.all()).isZero();
        assertThat(verified.out()).contains("chains");
    }

    @Test
    void theRecordGoesToTheOtlpReceiverTheHostNames() throws Exception {
        CliHarness exporting = cli().env("CLAUDE_BOTTLE_OTLP_ENDPOINT", "http://otlp.test");
        var started = exporting.run("start", "probe", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            exporting.run("exec", slug, "--", "curl", "-s", "http://allowed.test/exported");
            Await.until(Duration.ofSeconds(30), "the bundle to post the record as OTLP logs",
                    () -> upstreamLog().contains("\"host\":\"otlp.test\",\"url\":\"/v1/logs\""));
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void aLaunchWhoseGuestResolvesNamesIsRefusedAndLeavesNothing(@TempDir Path temp) throws Exception {
        // An agent image whose resolver answers every name: the fence's probe must catch it.
        Path context = Files.createDirectories(temp.resolve("resolving"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + cli().agentImage() + "\nUSER root\n"
                + "RUN printf '#!/bin/sh\\necho \"10.9.9.9 $2\"\\n' > /usr/bin/getent && chmod 755 /usr/bin/getent\n");
        String image = "claude-bottle-it/resolving-agent:latest";
        Docker.run("build", "-q", "-t", image, context.toString());

        var r = cli().env("CLAUDE_BOTTLE_IMAGE", image).run("run", "probe", "--", "echo AGENT-RAN");

        assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.err()).contains("step 'docker.no-dns' (backend-docker) failed: the fence does not hold: the guest "
                + "resolved claude-bottle-probe-");
        assertThat(r.out()).doesNotContain("AGENT-RAN");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
    }

    @Test
    void claudeCodeRunsAsNodeAndItsRequestsReachTheApiWithTheInjectedKey() throws Exception {
        var r = cli().run("run", "coder", "--", "bash", "-c",
                "stat -c 'PROMPT=%U %a' ~/.claude/CLAUDE.md; echo CA=$NODE_EXTRA_CA_CERTS; "
                        + "echo KEY=$ANTHROPIC_API_KEY; claude -p 'say hi'");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("PROMPT=node 600", "CA=/usr/local/share/ca-certificates/claude-bottle.crt",
                "KEY=bottle-placeholder", "FAKE-REPLY-42");
        assertThat(r.all()).doesNotContain(ANTHROPIC_KEY);
        String log = Docker.run("exec", FAKE_API, "cat", "/tmp/requests.log");
        assertThat(log).contains("\"method\":\"POST\",\"host\":\"llm.test\",\"url\":\"/v1/messages")
                .contains("\"key\":\"" + ANTHROPIC_KEY + "\"").doesNotContain("bottle-placeholder");
    }

    /** The real launcher as a separate process, so it can be interrupted and killed. */
    private Process launcher(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("bottle.it.dist"), "bin", "bottle")
                .toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("launcher.log").toFile());
        pb.environment().put("CLAUDE_BOTTLE_HOME", home.toString());
        pb.environment().put("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        pb.environment().put("IT_API_KEY", KEY);
        return pb.start();
    }

    private String waitForRunningGuest() throws Exception {
        Path log = work.resolve("launcher.log");
        return Await.value(Duration.ofSeconds(90), () -> "a guest to come up" + (Files.exists(log) ? "; the launcher "
                + "said: " + Files.readString(log) : ""), () -> Docker.running("claude-bottle.role=guest").stream()
                .findFirst());
    }

    @Test
    void gcLeavesAnotherHomesRunningBottleAloneUnlessToldOtherwise(@TempDir Path otherHome) throws Exception {
        var started = cli().run("start", "probe", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        CliHarness other = new CliHarness(otherHome, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        try {
            var gc = other.run("gc");
            var json = new ObjectMapper().readTree(other.run("gc", "--json").out());

            assertThat(gc.exitCode()).as(gc.err()).isZero();
            assertThat(gc.out()).contains("left alone " + slug + " (launched by the state home " + home + ")")
                    .doesNotContain("removed " + slug);
            assertThat(json.path("left_alone").path(slug).asText()).isEqualTo(home.toString());
            assertThat(Docker.running("claude-bottle.slug=" + slug)).hasSize(2);
            assertThat(cli().run("gc").out()).doesNotContain("removed " + slug);
            assertThat(cli().run("exec", slug, "--", "true").exitCode()).isZero();

            var everyHome = other.run("gc", "--every-home");
            assertThat(everyHome.out()).contains("removed " + slug);
            assertThat(Docker.containers("claude-bottle.slug=" + slug)).isEmpty();
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void theBundlesDaemonsServeOnlyTheirGuest() throws Exception {
        var started = cli().run("start", "neighbour", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            assertThat(BundleReach.fromOutside(slug, EGRESS, cli().agentImage(), 8888, 9100)).isEmpty();
            var guest = cli().run("exec", slug, "--", "sh", "-c", "curl -s -o /dev/null -w '%{http_code}' "
                    + "http://allowed.test/; echo; curl -s -o /dev/null -w '%{http_code}' -X POST "
                    + "-H 'content-type: application/json' -H 'accept: application/json, text/event-stream' "
                    + "-d '{}' $MCP_SUPERVISE_URL");
            assertThat(guest.out().lines().toList()).first().isEqualTo("200");
            assertThat(guest.out().lines().toList().get(1)).isNotEqualTo("000");
        } finally {
            cli().run("stop", slug);
        }
    }

    @Test
    void detachedBottlesRunSideBySideUntilStopped() throws Exception {
        var a = cli().run("start", "probe", "--detach");
        var b = cli().run("start", "probe", "--detach");
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        String slugA = a.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        String slugB = b.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        assertThat(slugA).isNotEqualTo(slugB).startsWith("probe-");

        var ls = new ObjectMapper().readTree(cli().run("ls", "--json").out());
        assertThat(ls.findValuesAsText("slug")).contains(slugA, slugB);
        assertThat(ls.findValuesAsText("state")).containsOnly("running");
        var inA = cli().run("exec", slugA, "--", "sh", "-c", "curl -s http://allowed.test/from-a; echo $HOSTNAME");
        var inB = cli().run("exec", slugB, "--", "sh", "-c", "curl -s http://allowed.test/from-b; echo $HOSTNAME");
        assertThat(inA.out()).contains("hello from allowed.test");
        assertThat(inB.out()).contains("hello from allowed.test");
        assertThat(inA.out().strip().lines().reduce((x, y) -> y)).isNotEqualTo(inB.out().strip().lines()
                .reduce((x, y) -> y));
        assertThat(cli().run("logs", slugA, "--egress").out()).contains("/from-a").doesNotContain("/from-b");
        var counted = cli().runWithInput(new java.io.ByteArrayInputStream("one\ntwo\n".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), "exec", slugB, "--", "wc", "-l");
        assertThat(counted.out().strip()).isEqualTo("2");

        var seenA = new java.io.StringWriter();
        var seenB = new java.io.StringWriter();
        var followed = CompletableFuture.supplyAsync(() -> cli().runSeeing(seenA, "logs", slugA, "--follow"));
        var followedAsJson = CompletableFuture.supplyAsync(() -> cli().runSeeing(seenB, "logs", slugB, "--follow",
                "--json"));
        awaitText(seenA, "gateway: listening on");
        awaitText(seenB, "gateway: listening on");

        assertThat(cli().run("stop", slugA, slugB).exitCode()).isZero();
        // following ends with the bundle: each command returns by itself once its bottle is stopped
        var logA = followed.get(60, TimeUnit.SECONDS);
        assertThat(logA.exitCode()).as(logA.err()).isZero();
        assertThat(logA.out()).contains(slugA).doesNotContain(slugB);
        var logB = followedAsJson.get(60, TimeUnit.SECONDS);
        assertThat(logB.exitCode()).as(logB.err()).isZero();
        for (String line : logB.out().strip().split("\n")) {
            assertThat(new ObjectMapper().readTree(line).isTextual()).as(line).isTrue();
        }
        assertThat(logB.out()).contains(slugB);
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
        assertThat(cli().run("ls", "--json").out().strip()).isEqualTo("[ ]");
    }

    /** Waits until a command that goes on has written {@code text}. */
    private static void awaitText(java.io.StringWriter seen, String text) throws Exception {
        Await.until(Duration.ofSeconds(60), () -> "'" + text + "' in: " + seen, () -> seen.toString().contains(text));
    }

    @Test
    void resumeRunsTheAgentCommandOfADetachedBottleAgain() throws Exception {
        var started = cli().run("start", "oneshot", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        try {
            var resumed = cli().run("resume", slug);
            assertThat(resumed.exitCode()).isEqualTo(3);
            assertThat(resumed.out()).contains("RESUMED-AS-node");
            assertThat(cli().run("ls", "--json").out()).contains(slug);
        } finally {
            assertThat(cli().run("stop", slug).exitCode()).isZero();
        }
        assertThat(cli().run("resume", slug).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void twentyStartStopCyclesLeaveNothing() throws Exception {
        for (int i = 0; i < 20; i++) {
            var started = cli().run("start", "probe", "--detach");
            assertThat(started.exitCode()).as(started.err()).isZero();
            String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
            assertThat(cli().run("stop", slug).exitCode()).isZero();
        }
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
        assertThat(Docker.run("volume", "ls", "-q", "--filter", "label=claude-bottle.slug")).isEmpty();
        try (var bottles = Files.list(home.resolve("bottles"))) {
            assertThat(bottles.toList()).isEmpty();
        }
    }

    @Test
    void sigintTearsTheBottleDown() throws Exception {
        assertSignalTearsTheBottleDown("INT");
    }

    @Test
    void sigtermTearsTheBottleDown() throws Exception {
        assertSignalTearsTheBottleDown("TERM");
    }

    private void assertSignalTearsTheBottleDown(String signal) throws Exception {
        Process p = launcher("run", "probe", "--", "sleep", "120");
        waitForRunningGuest();
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
        try (var bottles = Files.list(home.resolve("bottles"))) {
            assertThat(bottles.toList()).isEmpty();
        }
    }

    @Test
    void afterSigkillGcLeavesNothing() throws Exception {
        Process p = launcher("run", "probe", "--", "sleep", "120");
        waitForRunningGuest();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Docker.containers("claude-bottle.slug")).isNotEmpty();
        var ls = new ObjectMapper().readTree(cli().run("ls", "--json").out());
        assertThat(ls.findValuesAsText("state")).containsOnly("dead");

        var gc = cli().run("gc", "--json");
        assertThat(gc.exitCode()).as(gc.err()).isZero();
        assertThat(gc.out()).contains("probe-");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
        assertThat(Docker.networks("claude-bottle.slug")).isEmpty();
        assertThat(cli().run("ls", "--json").out().strip()).isEqualTo("[ ]");
    }
}
