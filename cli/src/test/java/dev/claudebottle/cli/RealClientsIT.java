package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients people run, from inside one bottle, against local HTTPS servers that behave as real
 * ones do (an npm registry, git's own smart-HTTP backend, a Messages API): curl, git tunnelled and
 * through the git gate, npm, plain Node and Claude Code each get through to an allowed host, and
 * each gets the gateway's 403 from a host the manifest does not allow.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealClientsIT {
    private static final String API_KEY = "sk-ant-api03-IT-REAL-CLIENTS-KEY-00000000000";
    private static final String EGRESS = "claude-bottle-it-clients-egress";
    private static final String REGISTRY = "claude-bottle-it-clients-registry";
    private static final String GIT = "claude-bottle-it-clients-git";
    private static final String API = "claude-bottle-it-clients-api";
    private static final String NODE_GET = """
            const http = require('http'), tls = require('tls');
            const host = process.argv[2], proxy = new URL(process.env.HTTPS_PROXY);
            http.request({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: host + ':443'})
              .on('connect', (res, socket) => {
                if (res.statusCode !== 200) { console.log(res.statusCode); return socket.destroy(); }
                const s = tls.connect({socket: socket, servername: host}, () =>
                  s.write('GET /left-pad HTTP/1.1\\r\\nHost: ' + host + '\\r\\nConnection: close\\r\\n\\r\\n'));
                let text = '';
                s.on('data', (d) => text += d);
                s.on('end', () => console.log(text.split(' ')[1]));
                s.on('error', (e) => console.log('error ' + e.message));
              })
              .on('error', (e) => console.log('error ' + e.message)).end();
            """;
    Path work;
    Path home;

    @BeforeAll
    void servers(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        String agentImage = cli().agentImage();
        Path certs = TestCa.mint(agentImage, temp.resolve("certs"), "it fixtures CA",
                List.of("registry.real.test", "git.real.test", "api.anthropic.com", "denied.real.test"));
        Files.copy(certs.resolve("ca.crt"), work.resolve("fixtures-ca.crt"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  real:
                    egress:
                      allow:
                        - host: registry.real.test
                        - host: git.real.test
                      routes:
                        - host: api.anthropic.com
                          header: x-api-key
                          value: "${ANTHROPIC_API_KEY}"
                          placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                          private: true
                      upstream_ca: fixtures-ca.crt
                    git:
                      - name: app
                        upstream: https://git.real.test/app.git
                agents:
                  dev:
                    bottle: real
                    command: [bash]
                """);
        Docker.run("rm", "-f", REGISTRY, GIT, API);
        Docker.ensureNetwork(EGRESS);
        server(REGISTRY, "/npm-registry.js", certs, agentImage, "registry.real.test", "denied.real.test");
        server(GIT, "/git-http.js", certs, agentImage, "git.real.test");
        server(API, "/fake-anthropic.js", certs, agentImage, "api.anthropic.com");
    }

    private static void server(String name, String script, Path certs, String image, String... aliases)
            throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--label",
                "claude-bottle-it=1", "--network", EGRESS));
        for (String alias : aliases) {
            argv.addAll(List.of("--network-alias", alias));
        }
        Path file = Path.of(RealClientsIT.class.getResource(script).toURI());
        argv.addAll(List.of("-e", "TLS_CERT=/certs/server.crt", "-e", "TLS_KEY=/certs/server.key",
                "-v", certs + ":/certs:ro", "-v", file + ":/srv/server.js:ro", image, "node", "/srv/server.js"));
        Docker.run(argv.toArray(String[]::new));
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", REGISTRY, GIT, API);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("ANTHROPIC_API_KEY", API_KEY);
    }

    @Test
    void eachClientReachesAnAllowedHostAndGetsTheGateways403FromAnother() throws Exception {
        String script = String.join("\n",
                "cat > /tmp/get.js <<'JS'", NODE_GET, "JS",
                "curl -sS -o /dev/null -w 'CURL=%{http_code}\\n' https://registry.real.test/left-pad",
                "curl -s -o /dev/null -w 'CURL_DENIED=%{http_connect}\\n' https://denied.real.test/left-pad",
                "git clone -q https://git.real.test/lib.git /tmp/lib 2>/tmp/git.log; echo GIT=$(cat /tmp/lib/README)",
                "git clone -q https://git.real.test/app.git /tmp/app 2>/tmp/gate.log; echo GATE=$(cat /tmp/app/README)"
                        + " $(git -C /tmp/app config remote.origin.url)",
                "echo GIT_DENIED=$(git clone -q https://denied.real.test/lib.git /tmp/x 2>&1 | grep -o 'response 403')",
                "mkdir -p /tmp/p && cd /tmp/p && npm install --no-audit --no-fund --registry https://registry.real.test/"
                        + " left-pad >/tmp/npm.log 2>&1; echo NPM=$? $(node -e \"console.log(require('left-pad')('7', 3, '0'))\")",
                "echo NPM_DENIED=$(npm view left-pad --registry https://denied.real.test/ --fetch-retries 0 2>&1"
                        + " | grep -o 403 | head -n 1)",
                "echo NODE=$(node /tmp/get.js registry.real.test)",
                "echo NODE_DENIED=$(node /tmp/get.js denied.real.test)",
                "echo CLAUDE=$(timeout 90 claude -p 'say hi' 2>&1)",
                "echo CLAUDE_DENIED=$(ANTHROPIC_BASE_URL=https://denied.real.test CLAUDE_CODE_MAX_RETRIES=0"
                        + " timeout 90 claude -p 'say hi' 2>&1 | grep -o ERR_PROXY_TUNNEL | head -n 1)");
        var started = cli().run("start", "dev", "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        var r = cli().run("exec", slug, "--", "bash", "-c", script);
        // the gateway warms itself up once the guest has sent nothing for 30 s, in the bundle as it runs
        String bundleLog = cli().run("logs", slug).out();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(240);
        while (!bundleLog.contains("gateway: warmed up: ") && !bundleLog.contains("gateway: no warm-up")
                && !bundleLog.contains("gateway: warm-up stopped") && System.nanoTime() < deadline) {
            Thread.sleep(3000);
            bundleLog = cli().run("logs", slug).out();
        }
        String egress = cli().run("logs", slug, "--egress").out();
        assertThat(cli().run("stop", slug).exitCode()).isZero();

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("CURL=200", "CURL_DENIED=403", "GIT=lib",
                "GATE=app https://git.real.test/app.git", "GIT_DENIED=response 403", "NPM=0 007", "NPM_DENIED=403",
                "NODE=200", "NODE_DENIED=403", "CLAUDE=FAKE-REPLY-42", "CLAUDE_DENIED=ERR_PROXY_TUNNEL");
        assertThat(r.all()).doesNotContain(API_KEY);
        assertThat(bundleLog).contains("gateway: warmed up: 16000 requests");
        // its requests went through a gateway of its own: none is in the bottle's record
        assertThat(egress).doesNotContain("warm-up.invalid").contains("registry.real.test");
        String registry = Docker.run("exec", REGISTRY, "cat", "/tmp/requests.log");
        assertThat(registry).contains("\"url\":\"/left-pad/-/left-pad-1.3.0.tgz\"").doesNotContain("denied.real.test");
        String git = Docker.run("exec", GIT, "cat", "/tmp/requests.log");
        // lib was fetched by the guest through a tunnel, app by the git gate for its mirror.
        assertThat(git).contains("/lib.git/info/refs").contains("/app.git/info/refs");
        assertThat(Docker.run("exec", API, "cat", "/tmp/requests.log"))
                .contains("\"key\":\"" + API_KEY + "\"").doesNotContain("bottle-placeholder");
        // Each client's refusal was the gateway's own: a denied CONNECT for each of them at least.
        assertThat(egress.lines().filter(line -> line.contains("\"host\":\"denied.real.test\"")
                && line.contains("\"decision\":\"deny\"") && line.contains("\"status\":403")).count())
                .isGreaterThanOrEqualTo(5);
    }
}
