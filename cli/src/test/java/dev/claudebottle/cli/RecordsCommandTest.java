package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.RecordChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopped bottle's record: listed, read, checked link by link, pruned. */
class RecordsCommandTest {
    @TempDir
    Path home;

    private Path record(String slug, Instant written) throws Exception {
        Path file = home.resolve("records").resolve(slug).resolve("audit.jsonl");
        try (RecordChain chain = new RecordChain(file, 1 << 20, 3)) {
            for (int i = 0; i < 4; i++) {
                chain.append("{\"time\":\"" + written.minusSeconds(10 - i) + "\",\"kind\":\""
                        + (i % 2 == 0 ? "request" : "git-push") + "\",\"n\":" + i + "}");
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(written));
        return file;
    }

    @Test
    void aStoppedBottlesRecordIsListedReadAndChecked() throws Exception {
        record("web-1a2b", Instant.now().minusSeconds(60));
        CliHarness cli = new CliHarness(home, home);

        JsonNode ls = new ObjectMapper().readTree(cli.run("records", "ls", "--json").out());
        assertThat(ls.get(0).get("slug").asText()).isEqualTo("web-1a2b");
        assertThat(ls.get(0).get("lines").asInt()).isEqualTo(4);
        assertThat(ls.get(0).get("running").asBoolean()).isFalse();

        var pushes = cli.run("logs", "web-1a2b", "--egress", "--kind", "git-push", "--json");
        assertThat(pushes.exitCode()).as(pushes.err()).isZero();
        assertThat(new ObjectMapper().readTree(pushes.out()).findValuesAsText("kind")).containsExactly("git-push",
                "git-push");
        assertThat(new ObjectMapper().readTree(cli.run("logs", "web-1a2b", "--egress", "--since", "1h", "--json")
                .out())).hasSize(4);
        assertThat(new ObjectMapper().readTree(cli.run("logs", "web-1a2b", "--egress", "--since",
                Instant.now().toString(), "--json").out())).isEmpty();

        var verified = cli.run("logs", "web-1a2b", "--verify", "--json");
        assertThat(verified.exitCode()).isZero();
        assertThat(new ObjectMapper().readTree(verified.out()).get("intact").asBoolean()).isTrue();
    }

    @Test
    void whatEachBottleSpentOnTheModelIsListedAndTotalled() throws Exception {
        Path one = record("web-1a2b", Instant.now().minusSeconds(60));
        record("web-3c4d", Instant.now().minusSeconds(30));
        Files.writeString(one.resolveSibling("spent.json"), "{\"tokens\":1204000,\"usd\":\"4.1\"}");
        Path two = home.resolve("records/web-3c4d/spent.json");
        Files.writeString(two, "{\"tokens\":1000,\"usd\":\"0.004\"}");
        CliHarness cli = new CliHarness(home, home);

        JsonNode ls = new ObjectMapper().readTree(cli.run("records", "ls", "--json").out());
        assertThat(ls.get(0).at("/spent/tokens").asLong()).isEqualTo(1_204_000);
        assertThat(ls.get(0).at("/spent/usd").asText()).isEqualTo("4.1");
        var text = cli.run("records", "ls");
        assertThat(text.out()).contains("1,204,000 tokens, $4.10").contains("1,000 tokens, $0.00")
                .contains("spent in all: 1,205,000 tokens, $4.10");
    }

    @Test
    void anEditedRecordFailsVerifyNamingTheFirstBrokenLink() throws Exception {
        Path file = record("web-1a2b", Instant.now());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("git-push", "git-fetch"));
        Files.write(file, lines);

        var verified = new CliHarness(home, home).run("logs", "web-1a2b", "--verify");

        assertThat(verified.exitCode()).isEqualTo(1);
        assertThat(verified.out()).contains("audit.jsonl:3").contains("does not chain to the line before it");
    }

    @Test
    void verifySaysWhatRotatedAwayAndFailsWhenTheStartWasCutWithoutANote() throws Exception {
        Path file = home.resolve("records/web-1a2b/audit.jsonl");
        try (RecordChain chain = new RecordChain(file, 2048, 2)) {
            for (int i = 0; i < 100; i++) {
                chain.append("{\"time\":\"" + Instant.now() + "\",\"kind\":\"connect\",\"decision\":\"deny\",\"n\":"
                        + i + "}");
            }
        }
        CliHarness cli = new CliHarness(home, home);

        var rotated = cli.run("logs", "web-1a2b", "--verify");
        assertThat(rotated.exitCode()).as(rotated.out()).isZero();
        assertThat(rotated.out()).containsPattern("[0-9]+ lines before seq [0-9]+ rotated away");
        JsonNode json = new ObjectMapper().readTree(cli.run("logs", "web-1a2b", "--verify", "--json").out());
        assertThat(json.get("rotated_away").get("lines").asLong()).isEqualTo(json.get("first_seq").asLong());

        Files.delete(RecordChain.files(file).get(0));
        var cut = cli.run("logs", "web-1a2b", "--verify");
        assertThat(cut.exitCode()).as(cut.out()).isEqualTo(1);
        assertThat(cut.out()).contains("lines before it are gone");
    }

    @Test
    void pruneRemovesRecordsPastTheRetentionAndGcDoesToo() throws Exception {
        record("old-0001", Instant.now().minus(Duration.ofDays(10)));
        record("new-0002", Instant.now());

        var pruned = new CliHarness(home, home).env("CLAUDE_BOTTLE_RECORDS_MAX_AGE", "7d").run("records", "prune");

        assertThat(pruned.exitCode()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("removed the record of old-0001");
        assertThat(home.resolve("records/old-0001")).doesNotExist();
        assertThat(home.resolve("records/new-0002")).exists();
        var bad = new CliHarness(home, home).env("CLAUDE_BOTTLE_RECORDS_MAX_SIZE", "lots").run("records", "prune");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void aStoppedBottlesBundleLogIsTheCopyKeptBesideItsRecord() throws Exception {
        record("web-1a2b", Instant.now());
        Files.writeString(home.resolve("records/web-1a2b/bundle.log"), "2026-11-30T10:00:00Z gateway: listening\n");

        var logs = new CliHarness(home, home).run("logs", "web-1a2b");

        assertThat(logs.exitCode()).as(logs.err()).isZero();
        assertThat(logs.out()).contains("gateway: listening");
    }
}
