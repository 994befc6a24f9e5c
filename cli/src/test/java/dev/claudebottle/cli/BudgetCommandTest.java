package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle budget}: a running bottle's budget and spend, and a new budget its gateway reads at once. */
class BudgetCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path home;

    private Path running(String slug) throws Exception {
        Path file = Files.createDirectories(home.resolve("bottles").resolve(slug).resolve("gateway"))
                .resolve("budget.json");
        Files.writeString(file, "{\"version\":1,\"tokens\":100000,\"warn_at_percent\":80,\"prices\":[]}");
        Files.createDirectories(home.resolve("records").resolve(slug));
        Files.writeString(home.resolve("records").resolve(slug).resolve("spent.json"),
                "{\"tokens\":100400,\"usd\":\"0.9\"}");
        return file;
    }

    @Test
    void aRunningBottlesBudgetIsShownAndRaised() throws Exception {
        Path file = running("web-1a2b");
        CliHarness cli = new CliHarness(home, home);

        var shown = cli.run("budget", "web-1a2b");
        assertThat(shown.exitCode()).as(shown.all()).isZero();
        assertThat(shown.out()).contains("budget 100,000 tokens, warn at 80%; spent 100,400 tokens, $0.90");

        var raised = cli.run("budget", "web-1a2b", "--tokens", "2000000", "--usd", "5.00", "--json");
        assertThat(raised.exitCode()).as(raised.all()).isZero();
        JsonNode json = JSON.readTree(raised.out());
        assertThat(json.get("tokens").asLong()).isEqualTo(2_000_000);
        assertThat(json.get("usd").asText()).isEqualTo("5.00");
        assertThat(json.at("/spent/tokens").asLong()).isEqualTo(100_400);
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.get("tokens").asLong()).isEqualTo(2_000_000);
        assertThat(written.get("warn_at_percent").asInt()).as("what was not given is kept").isEqualTo(80);

        assertThat(cli.run("budget", "web-1a2b", "--tokens", "0").exitCode()).isZero();
        assertThat(JSON.readTree(file.toFile()).has("tokens")).as("0 takes the token limit away").isFalse();
    }

    @Test
    void aWrongValueOrAnUnknownBottleIsBadInputNamingIt() throws Exception {
        running("web-1a2b");
        CliHarness cli = new CliHarness(home, home);

        var tokens = cli.run("budget", "web-1a2b", "--tokens", "lots");
        assertThat(tokens.exitCode()).isEqualTo(2);
        assertThat(tokens.err()).contains("--tokens: expected a whole number of tokens, found 'lots'");
        assertThat(cli.run("budget", "web-1a2b", "--usd", "-1").err()).contains("--usd: expected an amount");
        assertThat(cli.run("budget", "web-1a2b", "--warn-at", "150%").err()).contains("--warn-at: expected a "
                + "percentage");
        var unknown = cli.run("budget", "../etc");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no running bottle");
    }

    @Test
    void reloadTakesTheBudgetFromTheBottlesManifestAsEditedAndAnEditThatDoesNotLoadChangesNothing() throws Exception {
        Path file = running("web-1a2b");
        Path manifest = home.resolve("bottle.yaml");
        Files.writeString(manifest, """
                version: 1
                bottles:
                  b:
                    budget: {tokens: 5000000, usd: 12.50}
                agents:
                  a: {bottle: b}
                """);
        Files.writeString(home.resolve("bottles/web-1a2b/bottle.json"), """
                {"slug":"web-1a2b","agent":"a","bottle":"b","backend":"docker","manifest":"%s","state":"running",
                 "started_at":"2026-11-30T00:00:00Z","guest_home":"/home/node","owner":0,"command":["bash"]}
                """.formatted(manifest));
        CliHarness cli = new CliHarness(home, home);

        var reloaded = cli.run("budget", "web-1a2b", "--reload", "--warn-at", "90%");
        assertThat(reloaded.exitCode()).as(reloaded.all()).isZero();
        assertThat(reloaded.out()).contains("budget 5,000,000 tokens, $12.50, warn at 90%");
        JsonNode written = JSON.readTree(file.toFile());
        assertThat(written.get("tokens").asLong()).isEqualTo(5_000_000);
        assertThat(written.get("usd").asText()).isEqualTo("12.50");
        JsonNode listed = JSON.readTree(cli.run("ls", "--json").out()).get(0);
        assertThat(listed.at("/budget/tokens").asLong()).as("bottle ls --json carries the budget").isEqualTo(5_000_000);
        assertThat(listed.at("/budget/usd").asText()).isEqualTo("12.50");
        assertThat(listed.at("/spent/tokens").asLong()).isEqualTo(100_400);

        Files.writeString(manifest, Files.readString(manifest).replace("tokens: 5000000", "tokens: lots"));
        var broken = cli.run("budget", "web-1a2b", "--reload");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains("bottle.yaml:4:");
        assertThat(JSON.readTree(file.toFile()).get("tokens").asLong()).as("left as it was").isEqualTo(5_000_000);

        var unknown = cli.run("budget", "web-9z9z", "--reload");
        assertThat(unknown.exitCode()).isEqualTo(2);
    }
}
