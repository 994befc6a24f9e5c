package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bottle behind a TLS-intercepting corporate proxy: mitmproxy sits between the bundle and a local
 * HTTPS upstream (an npm registry fixture) and re-signs every host with a CA of its own, which the
 * bottle names in {@code upstream_ca}. The guest's clients verify hosts they tunnel to, and the
 * gateway verifies hosts it intercepts, through that CA.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorporateProxyIT {
    private static final String KEY = "it-CORPVALUE-1a2b3c4d5e6f";
    private static final String EGRESS = "claude-bottle-it-corp-egress";
    private static final String UPSTREAM = "claude-bottle-it-corp-upstream";
    private static final String PROXY = "claude-bottle-it-corp-proxy";
    private static final String CORP_CA = "it corporate proxy CA";
    Path work;
    Path home;

    @BeforeAll
    void proxyAndUpstream(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        String agentImage = cli().agentImage();
        Path upstreamCerts = TestCa.mint(agentImage, temp.resolve("upstream"), "it upstream CA",
                List.of("registry.corp.test", "api.corp.test"));
        Path corp = TestCa.proxyAuthority(agentImage, temp.resolve("corp"), CORP_CA);
        Files.copy(corp.resolve("ca.crt"), work.resolve("corp-ca.crt"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  corp:
                    egress:
                      allow:
                        - host: registry.corp.test
                      routes:
                        - host: api.corp.test
                          header: x-api-key
                          value: "${IT_CORP_KEY}"
                          placeholder: {env: IT_CORP_KEY, value: bottle-placeholder}
                      upstream_proxy: http://proxy.corp.test:8080
                      upstream_ca: corp-ca.crt
                  bare:
                    egress:
                      allow:
                        - host: registry.corp.test
                      routes:
                        - host: api.corp.test
                          header: x-api-key
                          value: "${IT_CORP_KEY}"
                          placeholder: {env: IT_CORP_KEY, value: bottle-placeholder}
                      upstream_proxy: http://proxy.corp.test:8080
                      upstream_ca: []
                agents:
                  dev:
                    bottle: corp
                    command: [bash]
                  untrusting:
                    bottle: bare
                    command: [bash]
                """);
        String proxyImage = Docker.testImage("mitmproxy", temp);
        Docker.run("rm", "-f", UPSTREAM, PROXY);
        Docker.ensureNetwork(EGRESS);
        Path registry = Path.of(getClass().getResource("/npm-registry.js").toURI());
        Docker.run("run", "-d", "--name", UPSTREAM, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "registry.corp.test", "--network-alias", "api.corp.test",
                "-e", "TLS_CERT=/certs/server.crt", "-e", "TLS_KEY=/certs/server.key",
                "-v", upstreamCerts + ":/certs:ro", "-v", registry + ":/srv/npm-registry.js:ro",
                agentImage, "node", "/srv/npm-registry.js");
        Docker.run("run", "-d", "--name", PROXY, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "proxy.corp.test", "-e", "PYTHONUNBUFFERED=1", "-v", corp + ":/corp", "-v", upstreamCerts + ":/upstream:ro",
                proxyImage, "mitmdump", "--listen-port", "8080", "--set", "confdir=/corp",
                "--set", "ssl_verify_upstream_trusted_ca=/upstream/ca.crt");
        // mitmproxy writes the rest of its CA files beside the one it is given (so /corp is writable).
        Await.until(Duration.ofSeconds(60), () -> "mitmproxy to start: " + Docker.run("logs", PROXY), () -> {
            if (!Docker.run("inspect", "-f", "{{.State.Running}}", PROXY).equals("true")) {
                throw new AssertionError("mitmproxy did not start: " + Docker.run("logs", PROXY));
            }
            return Docker.run("logs", PROXY).contains("listening at");
        });
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", UPSTREAM, PROXY);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("IT_CORP_KEY", KEY);
    }

    private static String upstreamLog() throws Exception {
        return Docker.run("exec", UPSTREAM, "sh", "-c", "cat /tmp/requests.log 2>/dev/null || true");
    }

    @Test
    void curlAndNpmVerifyTunnelledHostsAndTheGatewayInjectsThroughTheProxy() throws Exception {
        String script = String.join("\n",
                "echo ISSUER=$(curl -sv -o /dev/null https://registry.corp.test/left-pad 2>&1 | sed -n 's/^\\*  *issuer: //p')",
                "echo META=$(curl -sS https://registry.corp.test/left-pad | head -c 20)",
                "echo VIEW=$(npm view left-pad version --registry https://registry.corp.test/ 2>&1 | tail -n 1)",
                "mkdir -p /tmp/p && cd /tmp/p && npm install --no-audit --no-fund --registry https://registry.corp.test/"
                        + " left-pad >/tmp/npm.log 2>&1; echo INSTALL=$?",
                "echo PAD=$(node -e \"console.log(require('left-pad')('7', 3, '0'))\")",
                "echo ROUTE=$(curl -sS -H \"x-api-key: $IT_CORP_KEY\" https://api.corp.test/v1/x)");
        var r = cli().run("run", "dev", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("ISSUER=CN=" + CORP_CA, "META={\"name\":\"left-pad\"", "VIEW=1.3.0",
                "INSTALL=0", "PAD=007", "ROUTE=hello from api.corp.test");
        assertThat(r.all()).doesNotContain(KEY);
        String upstream = upstreamLog();
        assertThat(upstream).contains("\"url\":\"/left-pad/-/left-pad-1.3.0.tgz\"")
                .contains("\"host\":\"api.corp.test\",\"url\":\"/v1/x\",\"key\":\"" + KEY + "\"")
                .doesNotContain("bottle-placeholder");
        // Everything went through the corporate proxy.
        assertThat(Docker.run("logs", PROXY)).contains("registry.corp.test").contains("api.corp.test");
    }

    @Test
    void withoutTheProxysCaNeitherTheGuestNorTheGatewayTrustsWhatItSigned() throws Exception {
        String script = String.join("\n",
                "curl -s -o /dev/null https://registry.corp.test/left-pad; echo CURL=$?",
                "echo ROUTE=$(curl -s -w ' %{http_code}' -H \"x-api-key: $IT_CORP_KEY\" "
                        + "https://api.corp.test/v1/untrusted)");
        var r = cli().run("run", "untrusting", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("CURL=60", " 502\n").contains("ROUTE=claude-bottle gateway: the upstream"
                + " api.corp.test:443 failed TLS: the upstream's certificate is not trusted: it was issued by \"CN="
                + CORP_CA + "\", and no trusted CA has that name: add that CA's certificate to upstream_ca");
        assertThat(upstreamLog()).doesNotContain("/v1/untrusted");
    }
}
