package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code of the agent image, in a bottle shaped like the embedded default, against a
 * fake Messages API: a container on the egress network answering as {@code api.anthropic.com} over
 * TLS with a CA of its own (the bottle's {@code upstream_ca}), so nothing leaves this machine. The
 * same container is Claude's token endpoint ({@code platform.claude.com}): its refresh tokens work
 * once, its access tokens live {@value #ACCESS_TTL} seconds, and the API takes no other sign-in token.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeIT {
    private static final String API_KEY = "sk-ant-api03-IT-CLAUDE-CODE-REAL-KEY-0000000";
    private static final String OAUTH_TOKEN = "sk-ant-oat01-IT-CLAUDE-CODE-REAL-TOKEN-000000";
    /** The access token of the host's Claude Code sign-in. */
    private static final String SIGNED_IN = "sk-ant-oat01-IT-HOST-SIGN-IN-ACCESS-TOKEN-00";
    private static final String REFRESH = "sk-ant-ort01-IT-HOST-SIGN-IN-REFRESH-TOKEN-0";
    /** How long the fake endpoint's access tokens live, in seconds: several expire in one test. */
    private static final int ACCESS_TTL = 20;
    /** The owner the host's credentials file has, which the gateway's write-back keeps. */
    private static final String OWNER = "4321:4321";
    private static final String EGRESS = "claude-bottle-it-claude-egress";
    private static final String FAKE_API = "claude-bottle-it-claude-api";
    /** The embedded default's routes, with the fake's address allowed and its CA trusted. */
    private static final String MANIFEST = """
            version: 1
            bottles:
              claude:
                egress:
                  routes:
                    - host: api.anthropic.com
                      header: x-api-key
                      value: "${ANTHROPIC_API_KEY}"
                      placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                      optional: true
                      private: true
                    - host: api.anthropic.com
                      header: authorization
                      value: "Bearer ${CLAUDE_CODE_OAUTH_TOKEN}"
                      placeholder: {env: CLAUDE_CODE_OAUTH_TOKEN, value: bottle-placeholder}
                      optional: true
                      private: true
                    - host: api.anthropic.com
                      header: authorization
                      login: claude
                      optional: true
                      private: true
                  upstream_ca: fake-api-ca.crt
            agents:
              claude:
                bottle: claude
                command: [claude, --dangerously-skip-permissions]
            """;
    /** What a first-run screen of Claude Code says; none of it may show. */
    private static final List<String> FIRST_RUN = List.of("trust the files", "Do you want to use this API key",
            "Choose the text style", "Bypass Permissions mode", "Select login method", "Unable to connect");
    Path work;
    Path home;
    /** A host user's home, signed in to Claude Code with a subscription. */
    Path signedIn;

    // Named with -f: a manifest found in the working directory may not send the sign-in through its own CA.
    @BeforeAll
    void fakeApi(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        signedIn = Files.createDirectories(temp.resolve("signed-in/.claude")).getParent();
        // signed in on the host a while ago: the access token expired, the refresh token still works
        Path credentials = signedIn.resolve(".claude/.credentials.json");
        Files.writeString(credentials, "{\"claudeAiOauth\":{\"accessToken\":\""
                + SIGNED_IN + "\",\"refreshToken\":\"" + REFRESH + "\",\"expiresAt\":"
                + java.time.Instant.now().minusSeconds(3600).toEpochMilli()
                + ",\"scopes\":[\"user:inference\",\"user:profile\"],\"subscriptionType\":\"max\"}}");
        Files.setPosixFilePermissions(credentials, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        new ProcessBuilder("chown", OWNER, credentials.toString()).inheritIO().start().waitFor();
        String agentImage = new CliHarness(home, work).agentImage();
        Path certs = TestCa.mint(agentImage, temp.resolve("certs"), "fake api CA",
                List.of("api.anthropic.com", "platform.claude.com"));
        Files.copy(certs.resolve("ca.crt"), work.resolve("fake-api-ca.crt"));
        Files.writeString(work.resolve("bottle.yaml"), MANIFEST);
        Docker.run("rm", "-f", FAKE_API);
        Docker.ensureNetwork(EGRESS);
        Path script = Path.of(getClass().getResource("/fake-anthropic.js").toURI());
        Docker.run("run", "-d", "--name", FAKE_API, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "api.anthropic.com", "--network-alias", "platform.claude.com",
                "-e", "SIGN_IN_REFRESH=" + REFRESH, "-e", "ACCESS_TTL=" + ACCESS_TTL,
                "-e", "SETUP_TOKENS=" + OAUTH_TOKEN, "-e", "TLS_CERT=/certs/server.crt",
                "-e", "TLS_KEY=/certs/server.key", "-v", certs + ":/certs:ro",
                "-v", script + ":/srv/fake-anthropic.js:ro", agentImage, "node", "/srv/fake-anthropic.js");
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", FAKE_API);
        Docker.run("network", "rm", EGRESS);
    }

    private String apiLog() throws Exception {
        return Docker.run("exec", FAKE_API, "sh", "-c", "cat /tmp/requests.log 2>/dev/null; : > /tmp/requests.log");
    }

    @Test
    void claudeDashPAnswersWhateverFramingTheApiStreamsIn() throws Exception {
        apiLog();
        String script = "for f in length chunked close; do "
                + "echo \"$f=$(ANTHROPIC_CUSTOM_HEADERS=\"x-framing: $f\" timeout 90 claude -p 'say hi' 2>&1)\"; done";
        var r = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS)
                .env("ANTHROPIC_API_KEY", API_KEY)
                .run("run", "claude", "-f", "bottle.yaml", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("length=FAKE-REPLY-42", "chunked=FAKE-REPLY-42", "close=FAKE-REPLY-42");
        assertThat(r.all()).doesNotContain(API_KEY);
        String log = apiLog();
        for (String framing : List.of("length", "chunked", "close")) {
            assertThat(log).contains("\"url\":\"/v1/messages?beta=true\",\"key\":\"" + API_KEY + "\"")
                    .contains("\"framing\":\"" + framing + "\"");
        }
        assertThat(log).doesNotContain("bottle-placeholder");
    }

    /** The fake token endpoint's state: live refresh tokens, refreshes, reuses of spent ones, every token it issued. */
    private com.fasterxml.jackson.databind.JsonNode oauth() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Docker.run("exec", FAKE_API, "cat",
                "/tmp/oauth.json"));
    }

    /** Waits until the fake endpoint refreshed more than {@code count} times: an access token expired meanwhile. */
    private void awaitRefreshesBeyond(int count) throws Exception {
        dev.claudebottle.spi.testing.Await.until(java.time.Duration.ofSeconds(150),
                "a refresh beyond the " + count + " before", () -> oauth().path("refreshes").asInt() > count);
    }

    /** The host's credentials file still holds a refresh token the endpoint takes, owned and moded as it was. */
    private void assertTheHostStaysSignedIn() throws Exception {
        Path credentials = signedIn.resolve(".claude/.credentials.json");
        String stored = new com.fasterxml.jackson.databind.ObjectMapper().readTree(credentials.toFile())
                .at("/claudeAiOauth/refreshToken").asText();
        var state = oauth();
        assertThat(state.path("reuses").asInt()).as("no spent refresh token was sent").isZero();
        assertThat(state.path("live").toString()).as("the host's refresh token is one the endpoint takes")
                .contains("\"" + stored + "\"");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rw-------");
        assertThat(Files.getAttribute(credentials, "unix:uid") + ":" + Files.getAttribute(credentials, "unix:gid"))
                .isEqualTo(OWNER);
    }

    /**
     * What a guest holds that any token the fake endpoint issued, or the host's own, is in: it must be
     * nothing ({@code [o]}: the pattern does not match the command line that carries it).
     */
    private static final String NO_TOKEN_IN_GUEST = "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null "
            + "| tr '\\0' '\\n' | grep -c 'sk-ant-[o]' || true; "
            + "grep -rl 'sk-ant-[o]' \"$HOME\" /etc /tmp 2>/dev/null | head -3; "
            + "echo sentinel=$(grep -c bottle-sign-in-refresh-placeholder \"$HOME/.claude/.credentials.json\")";

    @Test
    void claudeDashPAnswersWithTheHostsExpiredSignInAcrossExpiriesAndTheGuestNeverHoldsItsTokens() throws Exception {
        apiLog();
        CliHarness cli = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS)
                .env("HOME", signedIn.toString());
        var started = cli.run("start", "claude", "-f", "bottle.yaml", "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        try {
            var first = cli.run("exec", slug, "--", "bash", "-c", "echo \"reply=$(timeout 90 claude -p 'say hi' 2>&1)\"; "
                    + NO_TOKEN_IN_GUEST);
            assertThat(first.exitCode()).as(first.all()).isZero();
            assertThat(first.out()).contains("reply=FAKE-REPLY-42").contains("sentinel=1")
                    .as("no process or file of the guest holds a token").containsPattern("(?m)^0$")
                    .doesNotContainPattern("(?m)^/(home|etc|tmp)/");

            awaitRefreshesBeyond(oauth().path("refreshes").asInt());
            var second = cli.run("exec", slug, "--", "bash", "-c", "echo \"reply=$(timeout 90 claude -p 'say hi' 2>&1)\"; "
                    + NO_TOKEN_IN_GUEST);
            assertThat(second.out()).as(second.all()).contains("reply=FAKE-REPLY-42").containsPattern("(?m)^0$")
                    .doesNotContainPattern("(?m)^/(home|etc|tmp)/");
            String log = apiLog();
            List<String> messages = log.lines().filter(l -> l.contains("\"url\":\"/v1/messages")).toList();
            assertThat(messages).as("two answers").hasSizeGreaterThanOrEqualTo(2).as("a live token each time")
                    .allMatch(l -> l.contains("\"auth\":\"Bearer sk-ant-oat01-FAKE-LIVE-ACCESS-"));
            assertThat(messages.stream().map(l -> l.replaceAll(".*\"auth\":\"([^\"]*)\".*", "$1")).distinct())
                    .as("the access token expired between them and was refreshed").hasSizeGreaterThanOrEqualTo(2);
            // a request off the route's paths (Claude Code's profile lookup) goes without the sign-in: the sentinel
            assertThat(log).as("never the expired token").doesNotContain(SIGNED_IN);
            String inspect = Docker.run("inspect", "claude-bottle-" + slug + "-guest")
                    + Docker.run("inspect", "claude-bottle-" + slug + "-bundle") + cli.run("logs", slug).all()
                    + cli.run("plan", "claude", "-f", "bottle.yaml").all();
            var tokens = oauth().path("issued");
            for (var t : tokens) {
                assertThat(first.all() + second.all() + inspect).doesNotContain(t.asText());
            }
            assertThat(Files.readString(home.resolve("records").resolve(slug).resolve("audit.jsonl")))
                    .contains("refreshed the host's Claude sign-in").doesNotContain("FAKE-LIVE").doesNotContain(REFRESH)
                    .as("calls with the sign-in are metered too").contains("\"kind\":\"usage\"");
            var ls = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("ls", "--json").out());
            assertThat(java.util.stream.StreamSupport.stream(ls.spliterator(), false)
                    .filter(n -> n.path("slug").asText().equals(slug)).findFirst().orElseThrow()
                    .at("/spent/tokens").asLong()).as("two answers of 8 tokens at least").isGreaterThanOrEqualTo(16);
        } finally {
            cli.run("stop", slug);
        }
        assertTheHostStaysSignedIn();
    }

    @Test
    void aRevokedSignInIsOneLineToTheAgentSayingToSignInAgainOnTheHostAndTheHostFileIsLeftAlone(@TempDir Path temp)
            throws Exception {
        Path revoked = Files.createDirectories(temp.resolve(".claude"));
        String file = "{\"claudeAiOauth\":{\"accessToken\":\"sk-ant-oat01-IT-REVOKED-ACCESS-0\",\"refreshToken\":"
                + "\"sk-ant-ort01-IT-REVOKED-REFRESH-0\",\"expiresAt\":" + (System.currentTimeMillis() - 60_000)
                + ",\"scopes\":[\"user:inference\"],\"subscriptionType\":\"pro\"}}";
        Files.writeString(revoked.resolve(".credentials.json"), file);
        var r = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS).env("HOME", temp.toString())
                .run("run", "claude", "-f", "bottle.yaml", "--", "bash", "-c",
                        "echo \"reply=$(timeout 90 claude -p 'say hi' 2>&1)\"");

        assertThat(r.out()).as(r.all()).contains("reply=").contains("run claude on the host, then /login")
                .doesNotContain("FAKE-REPLY-42").doesNotContain("IT-REVOKED");
        assertThat(Files.readString(revoked.resolve(".credentials.json"))).as("the host is not signed out by a bottle")
                .isEqualTo(file);
    }

    @Test
    void theRealClaudeCodeShowsTheBudgetMessageOnceTheBottleSpentItAndTheApiSeesNoCallBeyond() throws Exception {
        Files.writeString(work.resolve("budget.yaml"), MANIFEST.replace("    egress:\n",
                "    budget: {tokens: 10}\n    egress:\n"));
        CliHarness cli = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS)
                .env("ANTHROPIC_API_KEY", API_KEY);
        var started = cli.run("start", "claude", "-f", "budget.yaml", "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        try {
            apiLog();
            // each call the fake bills 8 tokens: the second spends the budget of 10, the third is refused
            StringBuilder said = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                var r = cli.run("exec", slug, "--", "bash", "-c", "timeout 120 claude -p 'say hi' 2>&1; true");
                said.append(r.out());
            }
            String log = apiLog();
            long calls = log.lines().filter(l -> l.contains("\"url\":\"/v1/messages")).count();

            assertThat(said.toString()).contains("FAKE-REPLY-42").contains("budget is spent")
                    .contains("bottle budget " + slug);
            var again = cli.run("exec", slug, "--", "bash", "-c", "timeout 120 claude -p 'say hi' 2>&1; true");
            assertThat(again.out()).contains("budget is spent");
            assertThat(apiLog().lines().filter(l -> l.contains("\"url\":\"/v1/messages")).count())
                    .as("no call reached the API once the budget was spent").isZero();
            assertThat(calls).isGreaterThanOrEqualTo(2);
            var ls = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("ls", "--json").out());
            var row = java.util.stream.StreamSupport.stream(ls.spliterator(), false)
                    .filter(n -> n.path("slug").asText().equals(slug)).findFirst().orElseThrow();
            assertThat(row.at("/spent/tokens").asLong()).isGreaterThanOrEqualTo(10);

            var raised = cli.run("budget", slug, "--tokens", "1000000");
            assertThat(raised.exitCode()).as(raised.all()).isZero();
            dev.claudebottle.spi.testing.Await.until(java.time.Duration.ofSeconds(60), "a reply under the raised "
                    + "budget", () -> cli.run("exec", slug, "--", "bash", "-c", "timeout 120 claude -p 'say hi' 2>&1; "
                    + "true").out().contains("FAKE-REPLY-42"));
        } finally {
            cli.run("stop", slug);
        }
    }

    @Test
    void theTuiWarnsThePersonAtTheDollarSharePricedInTheManifestAndThenShowsTheBudgetMessage(@TempDir Path temp)
            throws Exception {
        // every call bills 5 input and 3 output tokens: at these prices $0.035, so the warning share (50% of
        // $0.12) is passed by the second call and the budget by the fourth, whether calls come one or two at once
        Files.writeString(work.resolve("priced.yaml"), MANIFEST.replace("    egress:\n", """
                    env: {ANTHROPIC_MODEL: claude-bottle-test-1, ANTHROPIC_DEFAULT_HAIKU_MODEL: claude-bottle-test-1,
                          ANTHROPIC_SMALL_FAST_MODEL: claude-bottle-test-1, CLAUDE_CODE_SUBAGENT_MODEL: claude-unlisted-9}
                    budget:
                      usd: 0.12
                      warn_at: 50%
                      prices: [{model: claude-bottle-test, input: 1000, output: 10000}]
                    egress:
                """));
        Path terminal = temp.resolve("terminal.log");
        Path go = temp.resolve("go");
        Map<String, String> env = Map.of("CLAUDE_BOTTLE_HOME", home.toString(), "CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        String launcher = Path.of(System.getProperty("bottle.it.dist"), "bin", "bottle").toString();
        List<String> argv = List.of("sh", "-c", "cd '" + work + "' && unset CLAUDE_CODE_OAUTH_TOKEN; until [ -e '" + go
                + "' ]; do sleep 0.05; done; export ANTHROPIC_API_KEY='" + API_KEY + "'; exec '" + launcher
                + "' start claude -f priced.yaml");
        apiLog();
        try (TmuxScreen tui = TmuxScreen.start("claude-bottle-it-tui", 120, 40, env, argv)) {
            tui.copyTo(terminal);
            Files.createFile(go);
            tui.await("Claude Code's input prompt", s -> s.contains("bypass permissions on"), 180);
            assertThat(Files.readString(terminal)).as("the launch warned of the model the price table does not know")
                    .contains("does not know model claude-unlisted-9");
            String spent = "";
            for (int i = 0; i < 6 && !spent.contains("budget is spent"); i++) {
                int before = tui.screen().split("FAKE-REPLY-42", -1).length;
                tui.typeLine("say hi " + i);
                spent = tui.await("a reply or the budget message", s -> s.contains("budget is spent")
                        || s.split("FAKE-REPLY-42", -1).length > before, 90);
            }
            // the TUI wraps the message at its width
            assertThat(spent.replaceAll("\\s+", " ")).contains("budget is spent").contains("of $0.12")
                    .contains("bottle budget claude-");
            assertThat(Files.readString(terminal)).as("the warning reached the person's terminal")
                    .containsPattern("bottle claude-[0-9a-z]+: the bottle has spent \\d+ tokens; \\$0\\.\\d\\d of \\$0\\.12");
            long calls = apiLog().lines().filter(l -> l.contains("\"url\":\"/v1/messages")).count();
            assertThat(calls).isGreaterThanOrEqualTo(4);

            tui.typeLine("/exit");
            tui.awaitExit(60);
        }
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }

    @Test
    void threeBottlesUsingTheSignInAtOnceRefreshItOnceAtATimeAndTheHostStaysSignedIn() throws Exception {
        CliHarness cli = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS)
                .env("HOME", signedIn.toString());
        List<String> slugs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                var started = cli.run("start", "claude", "-f", "bottle.yaml", "--detach");
                assertThat(started.exitCode()).as(started.all()).isZero();
                slugs.add(started.out().strip().lines().reduce((a, b) -> b).orElseThrow());
            }
            // each bottle's access token expires while they wait, so all three refresh at about the same time
            awaitRefreshesBeyond(oauth().path("refreshes").asInt());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<CliHarness.Result>> replies = new java.util.ArrayList<>();
                for (String slug : slugs) {
                    replies.add(pool.submit(() -> cli.run("exec", slug, "--", "bash", "-c",
                            "echo \"reply=$(timeout 120 claude -p 'say hi' 2>&1)\"")));
                }
                for (var reply : replies) {
                    CliHarness.Result r = reply.get(5, java.util.concurrent.TimeUnit.MINUTES);
                    assertThat(r.out()).as(r.all()).contains("reply=FAKE-REPLY-42");
                }
            } finally {
                pool.shutdownNow();
            }
            awaitRefreshesBeyond(oauth().path("refreshes").asInt());
            assertThat(oauth().path("reuses").asInt()).as("no invalid_grant").isZero();
            String records = String.join("\n", slugs.stream().map(slug -> {
                try {
                    return Files.readString(home.resolve("records").resolve(slug).resolve("audit.jsonl"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList());
            assertThat(records).as("a bottle took the pair another one refreshed, instead of refreshing over it")
                    .contains("took the sign-in another party wrote").doesNotContain("FAKE-LIVE");
        } finally {
            for (String slug : slugs) {
                cli.run("stop", slug);
            }
        }
        assertTheHostStaysSignedIn();
    }

    @Test
    void theTuiGoesStraightToItsPromptAndShowsTheReplyWithAnApiKey() throws Exception {
        talkToTheTui(Map.of("ANTHROPIC_API_KEY", API_KEY), API_KEY, "\"key\":\"" + API_KEY + "\"");
    }

    @Test
    void theTuiGoesStraightToItsPromptAndShowsTheReplyWithAnOauthToken() throws Exception {
        talkToTheTui(Map.of("CLAUDE_CODE_OAUTH_TOKEN", OAUTH_TOKEN), OAUTH_TOKEN,
                "\"auth\":\"Bearer " + OAUTH_TOKEN + "\"");
    }

    @Test
    void theTuiOpensSignedInFromAnExpiredHostSignInAndAnswersAgainAfterTheTokenExpiredOnceMore() throws Exception {
        talkToTheTui(Map.of("HOME", signedIn.toString()), SIGNED_IN, "\"auth\":\"Bearer sk-ant-oat01-FAKE-LIVE-ACCESS-");
        assertTheHostStaysSignedIn();
    }

    private void talkToTheTui(Map<String, String> credential, String secret, String injected) throws Exception {
        apiLog();
        Map<String, String> env = Map.of("CLAUDE_BOTTLE_HOME", home.toString(), "CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        String launcher = Path.of(System.getProperty("bottle.it.dist"), "bin", "bottle").toString();
        // The other credential must not leak in from the environment the tests run in.
        List<String> argv = List.of("sh", "-c", "cd '" + work + "' && unset ANTHROPIC_API_KEY CLAUDE_CODE_OAUTH_TOKEN; "
                + credential.entrySet().stream().map(e -> "export " + e.getKey() + "='" + e.getValue() + "'; ")
                .reduce("", String::concat) + "exec '" + launcher + "' start claude -f bottle.yaml");
        try (TmuxScreen tui = TmuxScreen.start("claude-bottle-it-tui", 120, 40, env, argv)) {
            String ready = tui.await("Claude Code's input prompt",
                    s -> s.contains("bypass permissions on") || FIRST_RUN.stream().anyMatch(s::contains), 180);
            assertThat(ready).contains("Claude Code").contains("bypass permissions on");
            FIRST_RUN.forEach(text -> assertThat(ready).doesNotContain(text));

            tui.typeLine("say hi");
            String answered = tui.await("the fake API's reply", s -> s.contains("FAKE-REPLY-42"), 90);
            assertThat(answered).contains("say hi").doesNotContain(secret);
            if (credential.containsKey("HOME")) {
                // a sign-in: its access token expires and is refreshed while the session goes on
                awaitRefreshesBeyond(oauth().path("refreshes").asInt());
                tui.typeLine("say hi again");
                String again = tui.await("the reply after a refresh", s -> s.indexOf("FAKE-REPLY-42")
                        != s.lastIndexOf("FAKE-REPLY-42"), 90);
                assertThat(again).contains("say hi again").doesNotContain("401").doesNotContain("/login");
            }

            tui.typeLine("/exit");
            tui.awaitExit(60);
            assertThat(tui.screen()).contains("removing bottle");
        }
        String log = apiLog();
        assertThat(log).contains("\"url\":\"/v1/messages?beta=true\"").contains(injected)
                .doesNotContain("bottle-placeholder");
        try (var records = Files.list(home.resolve("records"))) {
            Path newest = records.max(java.util.Comparator.comparing(d -> d.toFile().lastModified())).orElseThrow();
            assertThat(Files.readString(newest.resolve("audit.jsonl"))).as("the session's calls were metered, "
                    + "whatever the credential").contains("\"kind\":\"usage\"");
        }
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }
}
