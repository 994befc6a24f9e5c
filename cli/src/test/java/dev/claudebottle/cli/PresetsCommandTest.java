package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle presets}: the presets a bottle can name, their rules, and what a plan shows of them. */
class PresetsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void thePresetsAreListedAndEachShowsItsRulesAndWhatItWasCheckedWith() throws Exception {
        CliHarness cli = new CliHarness(dir.resolve("home"), dir);
        var ls = cli.run("presets", "ls");
        assertThat(ls.exitCode()).as(ls.all()).isZero();
        assertThat(ls.out()).contains("npm ").contains("npm-publish").contains("pypi").contains("maven-central")
                .contains("go-proxy").contains("crates").contains("debian").contains("github");

        var show = cli.run("presets", "show", "npm");
        assertThat(show.exitCode()).as(show.all()).isZero();
        assertThat(show.out()).contains("npm v1").contains("checked with npm").contains("GET|HEAD registry.npmjs.org/**");
        JsonNode json = JSON.readTree(cli.run("presets", "show", "pypi", "--json").out());
        assertThat(json.at("/rules/1/host").asText()).isEqualTo("files.pythonhosted.org");
        assertThat(json.at("/rules/1/methods/0").asText()).isEqualTo("GET");

        var unknown = cli.run("presets", "show", "pip");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no preset pip").contains("pypi");
    }

    @Test
    void aPlanShowsWhichRulesEachPresetAdded() throws Exception {
        Files.writeString(dir.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  b:
                    egress:
                      allow: [{host: own.test}]
                      presets: [debian]
                agents:
                  a: {bottle: b, command: [bash]}
                """);
        CliHarness cli = new CliHarness(dir.resolve("home"), dir);
        var plan = cli.run("plan", "a");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("own.test").contains("deb.debian.org  ports [80, 443]  methods [GET, HEAD]  "
                + "paths [/debian/, /debian-security/]  (preset debian)")
                .as("TLS is probed where the rule speaks it").contains("TLS to deb.debian.org:443 through the gateway");
        JsonNode json = JSON.readTree(cli.run("plan", "a", "--json").out());
        assertThat(json.at("/egress/allow/1/preset").asText()).isEqualTo("debian");
        assertThat(json.at("/egress/allow/0/preset").isNull()).isTrue();
    }

    @Test
    void docsManifestMdListsEveryPresetAtItsVersionWithEachOfItsHosts() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "manifest.md"));
        for (var preset : dev.claudebottle.contract.EgressPresets.all()) {
            assertThat(docs).contains("| `" + preset.name() + "` | " + preset.version() + " | " + preset.what() + " |")
                    .contains(" | " + preset.checkedWith() + " |");
            preset.rules().forEach(rule -> assertThat(docs).contains("`" + rule.host() + "` "
                    + String.join(" ", rule.methods())));
        }
    }
}
