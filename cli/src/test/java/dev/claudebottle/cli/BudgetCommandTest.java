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
}
