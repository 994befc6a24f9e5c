package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle policy check}: the gateway's rules asked about one request, without a bottle. */
class PolicyCheckTest {
    @TempDir
    Path dir;
    CliHarness cli;

    @BeforeEach
    void manifest() throws Exception {
        cli = new CliHarness(dir.resolve("home"), dir);
        Files.writeString(dir.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  web:
                    egress:
                      allow:
                        - host: api.github.test
                          methods: [GET]
                          paths: ["/repos/acme/"]
                        - host: "*.registry.test"
                      routes:
                        - host: llm.test
                          paths: ["/v1/"]
                          header: x-api-key
                          value: "${LLM_KEY}"
                  asking:
                    egress: {unknown: ask, ask_timeout: 90s}
                  node:
                    egress:
                      presets: [npm]
                agents:
                  coder: {bottle: web}
                  asker: {bottle: asking}
                  builder: {bottle: node}
                """);
    }

    private JsonNode check(int exit, String agent, String method, String url) throws Exception {
        var r = cli.run("policy", "check", agent, method, url, "--json");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(exit);
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void anAllowedRequestExitsZeroAndNamesItsRule() throws Exception {
        JsonNode get = check(0, "coder", "GET", "https://api.github.test/repos/acme/app");
        assertThat(get.get("decision").asText()).isEqualTo("allow");
        assertThat(get.get("rule").asText()).isEqualTo("allow[0] api.github.test");
        assertThat(get.get("intercept").asBoolean()).isTrue();

        JsonNode tunnel = check(0, "coder", "POST", "https://pkgs.registry.test/anything");
        assertThat(tunnel.get("intercept").asBoolean()).as("a host without method or path rules is tunnelled")
                .isFalse();

        JsonNode routed = check(0, "coder", "POST", "https://llm.test/v1/messages");
        assertThat(routed.get("route").get("header").asText()).isEqualTo("x-api-key");
    }

    @Test
    void aRefusedRequestExitsOneWithTheCodeTheGatewaySends() throws Exception {
        assertThat(check(1, "coder", "POST", "https://api.github.test/repos/acme/app").get("code").asText())
                .isEqualTo("method-not-allowed");
        assertThat(check(1, "coder", "GET", "https://api.github.test/orgs").get("code").asText())
                .isEqualTo("path-not-allowed");
        assertThat(check(1, "coder", "GET", "https://api.github.test/repos/acme/../../orgs").get("code").asText())
                .as("the path is normalised as the gateway normalises it").isEqualTo("path-not-allowed");
        assertThat(check(1, "coder", "GET", "https://registry.test/").get("code").asText())
                .as("a wildcard covers subdomains, not the apex").isEqualTo("unknown-host");
        assertThat(check(1, "coder", "GET", "http://llm.test/v1/messages").get("code").asText())
                .as("a route covers 443 only").isEqualTo("port-not-allowed");
    }

    @Test
    void anUnknownHostOfAnAskingBottleWouldBeAskedAbout() throws Exception {
        JsonNode asked = check(1, "asker", "GET", "https://npm.test/left-pad");
        assertThat(asked.get("decision").asText()).isEqualTo("ask");
        assertThat(asked.get("reason").asText()).contains("a person would be asked, for up to 90s");

        var text = cli.run("policy", "check", "-f", dir.resolve("bottle.yaml").toString(), "asker", "GET",
                "https://npm.test/");
        assertThat(text.out()).startsWith("ask GET https://npm.test/\n  asked under egress.unknown: ask");
    }

    @Test
    void anUnknownAgentOrABadUrlIsBadInput() {
        assertThat(cli.run("policy", "check", "nobody", "GET", "https://a.test/").exitCode()).isEqualTo(2);
        var bad = cli.run("policy", "check", "coder", "GET", "ftp://a.test/");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("is not an http(s) URL");
    }

    @Test
    void thePlanShowsWhatTheGatewayAllowsAndWhatUnknownHostsGet() throws Exception {
        var text = new CliHarness(dir.resolve("home"), dir).env("LLM_KEY", "k").run("plan", "coder");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("api.github.test  methods [GET]  paths [/repos/acme/]")
                .contains("unknown hosts: refused; at the first alert: log it");
        assertThat(cli.run("plan", "asker").out()).contains("unknown hosts: a person is asked (waits up to 90s)");
        JsonNode json = new ObjectMapper().readTree(cli.run("plan", "asker", "--json").out()).get("egress");
        assertThat(json.get("unknown").asText()).isEqualTo("ask");
        assertThat(json.get("ask_timeout_seconds").asInt()).isEqualTo(90);
    }

    @Test
    void theNpmPresetLetsAnInstallReadTheRegistryAndRefusesAPublish() throws Exception {
        JsonNode view = check(0, "builder", "GET", "https://registry.npmjs.org/left-pad");
        assertThat(view.get("rule").asText()).isEqualTo("preset npm: GET|HEAD registry.npmjs.org/**");
        assertThat(check(0, "builder", "GET", "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz")
                .get("decision").asText()).isEqualTo("allow");
        JsonNode publish = check(1, "builder", "PUT", "https://registry.npmjs.org/left-pad");
        assertThat(publish.get("code").asText()).as("what npm publish sends").isEqualTo("method-not-allowed");
        assertThat(publish.get("reason").asText()).isEqualTo("method PUT is not allowed for registry.npmjs.org "
                + "(preset npm permits GET, HEAD)");
        assertThat(publish.get("presets_that_would")).as("publishing is a preset of its own")
                .extracting(JsonNode::asText).containsExactly("npm-publish");
        assertThat(cli.run("policy", "check", "builder", "PUT", "https://registry.npmjs.org/left-pad").out())
                .contains("  a preset that would allow it: npm-publish (a way out: it writes to the registry)\n");
        JsonNode foreign = check(1, "builder", "GET", "https://evil.npmjs.org.test/");
        assertThat(foreign.get("code").asText()).isEqualTo("unknown-host");
        assertThat(foreign.get("presets_that_would")).isEmpty();

        var text = cli.run("policy", "check", "builder", "GET", "https://registry.npmjs.org/left-pad");
        assertThat(text.out()).isEqualTo("allow GET https://registry.npmjs.org/left-pad\n"
                + "  allowed by preset npm: GET|HEAD registry.npmjs.org/**\n"
                + "  intercepted: the gateway decrypts to check method, path and route\n");
    }

    @Test
    void aRefusalNamesThePresetsThatWouldAllowIt() throws Exception {
        JsonNode pip = check(1, "coder", "GET", "https://files.pythonhosted.org/packages/ab/cd/six-1.16.0.tar.gz");
        assertThat(pip.get("rule").asText()).isEqualTo("default deny");
        assertThat(pip.get("presets_that_would")).extracting(JsonNode::asText).containsExactly("pypi");
        assertThat(check(1, "coder", "POST", "https://pypi.org/simple/six/").get("presets_that_would"))
                .as("the whole request is judged: no preset posts there").isEmpty();
        assertThat(check(1, "coder", "GET", "https://files.pythonhosted.org/elsewhere").get("presets_that_would"))
                .as("outside the preset's paths").isEmpty();
        assertThat(check(1, "coder", "GET", "https://proxy.golang.org/golang.org/x/text/@v/list")
                .get("presets_that_would")).as("a way out, where nothing narrower would do")
                .extracting(JsonNode::asText).containsExactly("go-proxy");
        assertThat(check(1, "coder", "GET", "http://pypi.org/simple/six/").get("presets_that_would"))
                .as("HTTPS only").isEmpty();
        assertThat(check(1, "builder", "GET", "https://registry.npmjs.org.evil.test/").get("presets_that_would"))
                .as("a host that only begins like a preset's").isEmpty();
        assertThat(check(1, "asker", "GET", "https://github.com/acme/app/archive/main.tar.gz")
                .get("presets_that_would")).extracting(JsonNode::asText).containsExactly("github");

        var text = cli.run("policy", "check", "coder", "GET", "https://pypi.org/simple/six/");
        assertThat(text.out()).contains("  refused by default deny\n").contains("  host pypi.org is not allowed\n")
                .endsWith("  a preset that would allow it: pypi\n");
    }
}
