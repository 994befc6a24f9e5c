package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guest-written text on a person's terminal: it cannot move the cursor, erase or forge a row, or hide. */
class GuestTextOnTerminalTest {
    /** Erases the line, returns the cursor, and writes a forged row in its place. */
    private static final String FORGED = "harmless\u001b[2K\r\nd4c3b2a1 other-0000 command pending 0s approve me"
            + "\u009b31m\u202egnp.exe\u200b\u0007";
    @TempDir
    Path home;

    private void request(String slug, String id, String title) throws Exception {
        Path queue = home.resolve("bottles").resolve(slug).resolve("supervise");
        for (String dir : new String[] {"requests", "decisions", "notifications"}) {
            Files.createDirectories(queue.resolve(dir));
        }
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of(
                "id", id, "slug", slug, "title", title, "details", "d", "kind", "command",
                "created_at", Instant.now().toString(), "expires_at", Instant.now().plusSeconds(600).toString(),
                "key", "k-" + id));
        Files.writeString(queue.resolve("requests").resolve(id + ".json"), json);
    }

    @Test
    void superviseLsWatchAndApproveShowAGuestsTitleOnOneInertRow() throws Exception {
        request("web-1a2b", "a1b2c3d4", FORGED);
        CliHarness cli = new CliHarness(home, home);

        var ls = cli.run("supervise", "ls");
        var json = cli.run("supervise", "ls", "--json");
        var watch = cli.runWithInput(new java.io.ByteArrayInputStream("q\n".getBytes()), "supervise", "watch");

        var approved = cli.run("supervise", "approve", "a1b2c3d4");

        for (var r : java.util.List.of(ls, json, watch, approved)) {
            assertThat(r.out()).doesNotContain("\u001b", "\r", "\u009b", "\u202e", "\u200b", "\u0007");
        }
        assertThat(ls.out().lines().filter(l -> l.contains("a1b2c3d4"))).hasSize(1);
        assertThat(ls.out().lines().filter(l -> l.contains("d4c3b2a1"))).allMatch(l -> l.contains("a1b2c3d4"));
        assertThat(watch.out().lines().filter(l -> l.contains("d4c3b2a1"))).allMatch(l -> l.contains("a1b2c3d4"));
    }

    @Test
    void theEgressLogShowsAGuestsPathInert() throws Exception {
        Path dir = Files.createDirectories(home.resolve("records/web-1a2b"));
        Files.createDirectories(home.resolve("bottles/web-1a2b"));
        Files.writeString(home.resolve("bottles/web-1a2b/bottle.json"), """
                {"slug":"web-1a2b","agent":"a","bottle":"b","backend":"docker","manifest":"m","state":"running",
                 "started_at":"2026-11-30T00:00:00Z","guest_home":"/home/node","owner":0,"command":["bash"]}
                """);
        // As the gateway writes it: JSON escapes C0 controls itself, but not C1 controls or bidi marks.
        Files.writeString(dir.resolve("audit.jsonl"), "{\"path\":\"/a\\u001b[2J\u009b2J\u202e\"}\n");
        CliHarness cli = new CliHarness(home, home);

        var plain = cli.run("logs", "web-1a2b", "--egress");
        var json = cli.run("logs", "web-1a2b", "--egress", "--json");

        assertThat(plain.exitCode()).as(plain.err()).isZero();
        for (var r : java.util.List.of(plain, json)) {
            assertThat(r.out()).doesNotContain("\u001b", "\u009b", "\u202e").containsIgnoringCase("\\u009b2J");
        }
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(plain.out());
    }

    @Test
    void policyProposeShowsAGuestsHostPathAndMethodInertAndOutsideItsRules() throws Exception {
        Path audit = home.resolve("audit.jsonl");
        // As the gateway writes it: JSON escapes C0 controls itself, but not C1 controls or bidi marks.
        Files.writeString(audit, String.join("\n",
                "{\"kind\":\"request\",\"method\":\"GET\",\"host\":\"ok.test\",\"port\":443,\"path\":"
                        + "\"/\\u001b]52;c;Y3VybCBldmlsLnRlc3Q=\\u0007\u009b2J\u202e\",\"decision\":\"allow\"}",
                "{\"kind\":\"request\",\"method\":\"GET\\n      paths: []\",\"host\":\"evil.test\\r\\n    - host:"
                        + " x.test\",\"port\":443,\"path\":\"/\",\"decision\":\"allow\"}",
                "{\"kind\":\"request\",\"method\":\"GET\",\"host\":\"ok.test\",\"port\":443,\"path\":\"/v1\","
                        + "\"decision\":\"allow\"}"));
        CliHarness cli = new CliHarness(home, home);

        var plain = cli.run("policy", "propose", "--audit", audit.toString());
        var json = cli.run("policy", "propose", "--audit", audit.toString(), "--json");

        assertThat(plain.exitCode()).as(plain.err()).isZero();
        for (var r : java.util.List.of(plain, json)) {
            assertThat(r.out()).doesNotContain("\u001b", "\u0007", "\u009b", "\u202e", "\r")
                    .containsIgnoringCase("\\u001b]52");
        }
        assertThat(plain.out().lines().filter(l -> !l.startsWith("#"))).as("the guest's text is only in comments")
                .containsExactly("egress:", "  allow:", "    - host: ok.test", "      ports: [443]",
                        "      methods: [GET]", "      paths: [\"/v1\"]", "      private: false");
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    }

    @Test
    void followingTheEgressLogShowsEachNewLineInertAsItIsWritten() throws Exception {
        Path dir = Files.createDirectories(home.resolve("records/web-1a2b"));
        Files.createDirectories(home.resolve("bottles/web-1a2b"));
        Files.writeString(home.resolve("bottles/web-1a2b/bottle.json"), """
                {"slug":"web-1a2b","agent":"a","bottle":"b","backend":"docker","manifest":"m","state":"running",
                 "started_at":"2026-11-30T00:00:00Z","guest_home":"/home/node","owner":0,"command":["bash"]}
                """);
        Path audit = dir.resolve("audit.jsonl");
        Files.writeString(audit, "{\"host\":\"first.test\"}\n");
        java.io.StringWriter seen = new java.io.StringWriter();
        Thread follower = new Thread(() -> new CliHarness(home, home).runSeeing(seen, "logs", "web-1a2b", "--egress",
                "--follow"));
        follower.start();
        try {
            dev.claudebottle.spi.testing.Await.until(java.time.Duration.ofSeconds(20), "the first line",
                    () -> seen.toString().contains("first.test"));
            Files.writeString(audit, "{\"host\":\"later\u202e.test\"}\n", java.nio.file.StandardOpenOption.APPEND);
            dev.claudebottle.spi.testing.Await.until(java.time.Duration.ofSeconds(20), "the line written later",
                    () -> seen.toString().contains("later"));
            assertThat(seen.toString()).doesNotContain("\u202e").containsIgnoringCase("later\\u202e.test");
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
    }
}
