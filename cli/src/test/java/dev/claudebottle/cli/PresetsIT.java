package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday tools on the first try. A bottle that names only {@code presets: [npm]} views and
 * installs from the real npm registry, which this machine reaches through a TLS-intercepting proxy
 * (so the host's extra CAs are in play too), and its publish is refused with an answer that names
 * the preset that decided and the one that would allow it. A guest image with Python, a JDK and Go
 * trusts the bottle in each of them with no setup, and {@code bottle verify} names the runtime
 * whose trust was taken away. PyPI, the Go module proxy and GitHub, which these machines do not
 * reach, are local fakes under their real names, and pip, go and curl read from them through their
 * presets.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresetsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYPI = "claude-bottle-presets-it-pypi";
    private static final String PYPI_EGRESS = "claude-bottle-presets-it-egress";
    Path work;
    Path home;
    Path temp;

    @BeforeAll
    void manifest(@TempDir Path temp) throws Exception {
        this.temp = temp;
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  node:
                    egress:
                      presets: [npm]
                agents:
                  builder:
                    bottle: node
                    command: [bash]
                """);
    }

    private CliHarness cli() {
        return new CliHarness(home, work);
    }

    private String start(CliHarness cli) throws Exception {
        var started = cli.run("start", "builder", "--detach", "--json");
        assertThat(started.exitCode()).as(started.all()).isZero();
        return JSON.readTree(started.out()).get("slug").asText();
    }

    @Test
    void theNpmPresetAloneInstallsFromTheRealRegistryAndRefusesAPublish() throws Exception {
        String script = String.join("\n",
                "mkdir -p /tmp/app && cd /tmp/app && npm init -y >/dev/null",
                "echo VIEW=$(npm view left-pad@1.3.0 version 2>/tmp/view.log)",
                "npm install --no-audit --no-fund left-pad@1.3.0 >/tmp/install.log 2>&1; echo INSTALL=$? "
                        + "$(node -e \"console.log(require('left-pad')('7', 3, '0'))\")",
                "echo PUT=$(curl -sS -X PUT -H 'content-type: application/json' --data '{}' -o /tmp/put.txt "
                        + "-w '%{http_code}' https://registry.npmjs.org/claude-bottle-it-never-published)",
                "echo BODY=$(cat /tmp/put.txt)",
                "printf '{\"name\":\"claude-bottle-it-never-published\",\"version\":\"0.0.1\"}' > package.json",
                "npm publish --//registry.npmjs.org/:_authToken=bottle-it-not-a-token >/tmp/publish.log 2>&1; "
                        + "echo PUBLISH=$? $(grep -o 'E403' /tmp/publish.log | head -n 1)",
                "cat /tmp/install.log /tmp/view.log");
        CliHarness cli = cli();
        String slug = start(cli);
        try {
            var r = cli.run("exec", slug, "--", "bash", "-c", script);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.out()).as(r.all()).contains("VIEW=1.3.0", "INSTALL=0 007", "PUT=403", "PUBLISH=1 E403");
            assertThat(r.out()).contains("BODY=claude-bottle gateway: blocked: method PUT is not allowed for "
                    + "registry.npmjs.org (preset npm permits GET, HEAD) (rule: default deny)")
                    .as("the agent is never pointed at a way out").doesNotContain("npm-publish");

            String egress = cli.run("logs", slug, "--egress").out();
            assertThat(egress.lines().filter(l -> l.contains("\"decision\":\"allow\"")
                    && l.contains("left-pad-1.3.0.tgz"))).as(egress).anySatisfy(l -> assertThat(l)
                    .contains("\"rule\":\"preset npm: GET|HEAD registry.npmjs.org/**\""));
            assertThat(egress.lines().filter(l -> l.contains("\"method\":\"PUT\"")))
                    .as("both publishes were refused at the gateway").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(l -> assertThat(l).contains("\"decision\":\"deny\"").contains("\"status\":403"));
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    @Test
    void everyRuntimeTheGuestShipsTrustsTheBottleAndVerifyNamesOneThatDoesNot() throws Exception {
        String runtimes = Docker.testImage("runtimes", temp, cli().agentImage());
        CliHarness cli = cli().env("CLAUDE_BOTTLE_IMAGE", runtimes);
        String slug = start(cli);
        try {
            JsonNode held = probe(cli, slug);
            assertThat(held.get("held").asBoolean()).as(held.toString()).isTrue();
            assertThat(held.get("saw").asText()).isEqualTo("TLS to registry.npmjs.org:443 through the gateway "
                    + "verified with python3 (ssl verified; certifi verified; pip's certifi verified), java (verified), "
                    + "go (verified)");

            String guest = "claude-bottle-" + slug + "-guest";
            var env = Docker.run("exec", "-u", "node", guest, "sh", "-c", "echo $PIP_CERT $CARGO_HTTP_CAINFO "
                    + "$REQUESTS_CA_BUNDLE; keytool -list -cacerts -storepass changeit -alias claude-bottle-1");
            assertThat(env).startsWith("/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt "
                    + "/etc/ssl/certs/ca-certificates.crt").contains("trustedCertEntry");

            // an image that left /usr/local/bin writable: the agent plants a python3 there that claims to verify
            Docker.run("exec", guest, "chmod", "0777", "/usr/local/bin");
            Docker.run("exec", "-u", "node", guest, "sh", "-c", "printf '#!/bin/sh\\ntouch /tmp/planted-ran-as-$(id -u)"
                    + "\\necho ssl verified\\n' > /usr/local/bin/python3 && chmod 755 /usr/local/bin/python3");
            JsonNode planted = probe(cli, slug);
            assertThat(planted.get("held").asBoolean()).isTrue();
            assertThat(planted.get("saw").asText()).as("the planted runtime is not the one checked, and is named")
                    .isEqualTo(held.get("saw").asText() + "; not checked: python3 /usr/local/bin/python3: it, or a "
                            + "file of /usr/local/lib/python3, is not root's alone");
            assertThat(Docker.run("exec", guest, "sh", "-c", "ls /tmp | grep -c planted-ran || true"))
                    .as("nothing the agent wrote ran").isEqualTo("0");

            // the JVM's store without the bottle's CA: the probe names java, and only java
            Docker.run("exec", guest, "keytool", "-delete", "-cacerts", "-storepass", "changeit", "-alias",
                    "claude-bottle-1");
            JsonNode missed = probe(cli, slug);
            assertThat(missed.get("held").asBoolean()).isFalse();
            assertThat(missed.get("saw").asText()).startsWith("TLS to registry.npmjs.org:443 through the gateway did "
                    + "not verify with java (").contains("PKIX").endsWith("it did with python3 (ssl verified; "
                    + "certifi verified; pip's certifi verified), go (verified); not checked: python3 "
                    + "/usr/local/bin/python3: it, or a file of /usr/local/lib/python3, is not root's alone");
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    @Test
    void thePypiGoAndGithubPresetsLetTheirToolsReadFromLocalServersUnderTheirRealNames() throws Exception {
        String runtimes = Docker.testImage("runtimes", temp, cli().agentImage());
        Path certs = TestCa.mint(runtimes, temp.resolve("pypi-certs"), "fake registries CA",
                List.of("pypi.org", "files.pythonhosted.org", "proxy.golang.org", "api.github.com",
                        "raw.githubusercontent.com"));
        Path pypiWork = Files.createDirectories(temp.resolve("pypi-work"));
        Files.copy(certs.resolve("ca.crt"), pypiWork.resolve("fake-pypi-ca.crt"));
        Files.writeString(pypiWork.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  python:
                    egress:
                      presets: [pypi, go-proxy, github]
                      upstream_ca: fake-pypi-ca.crt
                agents:
                  builder:
                    bottle: python
                    command: [bash]
                """);
        Docker.run("rm", "-f", PYPI);
        // public addresses to the gateway, as PyPI's are: the benchmarking range, never routed outside a lab
        Docker.ensureNetwork(PYPI_EGRESS, "198.18.12.0/24");
        Path script = Path.of(getClass().getResource("/fake-registries.py").toURI());
        Docker.run("run", "-d", "--name", PYPI, "--label", "claude-bottle-it=1", "--network", PYPI_EGRESS,
                "--network-alias", "pypi.org", "--network-alias", "files.pythonhosted.org",
                "--network-alias", "proxy.golang.org", "--network-alias", "api.github.com",
                "--network-alias", "raw.githubusercontent.com",
                "-e", "TLS_CERT=/certs/server.crt", "-e", "TLS_KEY=/certs/server.key", "-v", certs + ":/certs:ro",
                "-v", script + ":/srv/pypi.py:ro", runtimes, "python3", "/srv/pypi.py");
        CliHarness cli = new CliHarness(home, pypiWork).env("CLAUDE_BOTTLE_IMAGE", runtimes)
                .env("CLAUDE_BOTTLE_EGRESS_NETWORK", PYPI_EGRESS);
        String slug = null;
        try {
            Await.until(Duration.ofSeconds(60), () -> "the registry to be ready: " + Docker.run("logs", PYPI),
                    () -> Docker.run("logs", PYPI).contains("registry ready"));
            slug = start(cli);
            var r = cli.run("exec", slug, "--", "bash", "-c", String.join("\n",
                    "pip install --no-cache-dir --break-system-packages --target /tmp/pt bottle-probe >/tmp/pip.log "
                            + "2>&1; echo PIP=$? $(PYTHONPATH=/tmp/pt python3 -c 'import bottle_probe; "
                            + "print(bottle_probe.VALUE)')",
                    "echo UPLOAD=$(curl -s -o /dev/null -w '%{http_connect}' -X POST https://upload.pypi.org/legacy/)",
                    // the module's sums come from go.sum as go writes it, not from sum.golang.org, which has no fake
                    "mkdir -p /tmp/gomod && cd /tmp/gomod && printf 'module demo\\n\\ngo 1.19\\n\\nrequire "
                            + "github.com/acme/hello v1.0.0\\n' > go.mod && printf 'package main\\n\\nimport (\"fmt\"; "
                            + "\"github.com/acme/hello\")\\n\\nfunc main() { fmt.Println(hello.Value) }\\n' > main.go",
                    "GONOSUMDB=github.com/acme GOFLAGS=-mod=mod go run . >/tmp/go.log 2>&1; echo GO=$? "
                            + "$(tail -n 1 /tmp/go.log)",
                    "cat /tmp/go.log",
                    "echo API=$(curl -sS https://api.github.com/repos/acme/app | grep -o '\"full_name\": \"acme/app\"')",
                    "echo RAW=$(curl -sS https://raw.githubusercontent.com/acme/app/main/README.md)",
                    "echo ISSUE=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "
                            + "https://api.github.com/repos/acme/app/issues)",
                    "cat /tmp/pip.log"));
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.out()).as(r.all()).contains("PIP=0 installed through the gateway", "UPLOAD=403",
                    "GO=0 built through the gateway", "API=\"full_name\": \"acme/app\"",
                    "RAW=acme app, read through the gateway", "ISSUE=403");
            assertThat(Docker.run("exec", PYPI, "cat", "/tmp/requests.log")).contains("GET pypi.org /simple/bottle-probe/")
                    .contains("GET files.pythonhosted.org /packages/b0/77/bottle_probe-1.0-py3-none-any.whl")
                    .contains("GET proxy.golang.org /github.com/acme/hello/@v/v1.0.0.zip")
                    .contains("GET api.github.com /repos/acme/app").doesNotContain("POST");
            assertThat(cli.run("logs", slug, "--egress").out()).contains("\"rule\":\"preset pypi: GET|HEAD "
                    + "files.pythonhosted.org/packages/**\"");
        } finally {
            if (slug != null) {
                assertThat(cli.run("stop", slug).exitCode()).isZero();
            }
            Docker.run("rm", "-f", PYPI);
            Docker.run("network", "rm", PYPI_EGRESS);
        }
    }

    /** The runtimes probe's row of {@code bottle verify --json}. */
    private static JsonNode probe(CliHarness cli, String slug) throws Exception {
        var verified = cli.run("verify", slug, "--json");
        for (JsonNode row : JSON.readTree(verified.out())) {
            if (row.get("id").asText().equals("gateway.runtimes-trust")) {
                return row;
            }
        }
        throw new AssertionError("no gateway.runtimes-trust in " + verified.all());
    }
}
