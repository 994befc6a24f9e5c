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
 * TLS with a CA of its own (the bottle's {@code upstream_ca}), so nothing leaves this machine.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeIT {
    private static final String API_KEY = "sk-ant-api03-IT-CLAUDE-CODE-REAL-KEY-0000000";
    private static final String OAUTH_TOKEN = "sk-ant-oat01-IT-CLAUDE-CODE-REAL-TOKEN-000000";
    /** The access token of the host's Claude Code sign-in. */
    private static final String SIGNED_IN = "sk-ant-oat01-IT-HOST-SIGN-IN-ACCESS-TOKEN-00";
    private static final String REFRESH = "sk-ant-ort01-IT-HOST-SIGN-IN-REFRESH-TOKEN-0";
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
                      placeholder: {env: CLAUDE_CODE_OAUTH_TOKEN, value: bottle-placeholder}
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
        Files.writeString(signedIn.resolve(".claude/.credentials.json"), "{\"claudeAiOauth\":{\"accessToken\":\""
                + SIGNED_IN + "\",\"refreshToken\":\"" + REFRESH + "\",\"expiresAt\":"
                + java.time.Instant.now().plusSeconds(6 * 3600).toEpochMilli()
                + ",\"scopes\":[\"user:inference\",\"user:profile\"],\"subscriptionType\":\"max\"}}");
        String agentImage = new CliHarness(home, work).agentImage();
        Path certs = TestCa.mint(agentImage, temp.resolve("certs"), "fake api CA", List.of("api.anthropic.com"));
        Files.copy(certs.resolve("ca.crt"), work.resolve("fake-api-ca.crt"));
        Files.writeString(work.resolve("bottle.yaml"), MANIFEST);
        Docker.run("rm", "-f", FAKE_API);
        Docker.ensureNetwork(EGRESS);
        Path script = Path.of(getClass().getResource("/fake-anthropic.js").toURI());
        Docker.run("run", "-d", "--name", FAKE_API, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "api.anthropic.com", "-e", "TLS_CERT=/certs/server.crt",
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

    @Test
    void claudeDashPAnswersWithTheHostsClaudeSignInAndTheGuestNeverHoldsItsTokens() throws Exception {
        apiLog();
        String script = "echo \"reply=$(timeout 90 claude -p 'say hi' 2>&1)\"; "
                + "cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c sk-ant-o || true; "
                + "grep -rl sk-ant-o \"$HOME\" /etc /tmp 2>/dev/null | head -3";
        var r = new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS)
                .env("HOME", signedIn.toString())
                .run("run", "claude", "-f", "bottle.yaml", "--", "bash", "-c", script);

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.out()).contains("reply=FAKE-REPLY-42").as("no process or file of the guest holds a token")
                .containsPattern("(?m)^0$").doesNotContainPattern("(?m)^/(home|etc|tmp)/");
        assertThat(r.all()).doesNotContain(SIGNED_IN).doesNotContain(REFRESH);
        assertThat(apiLog()).contains("\"auth\":\"Bearer " + SIGNED_IN + "\"").doesNotContain("bottle-placeholder");
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
    void theTuiGoesStraightToItsPromptAndShowsTheReplyWithTheHostsClaudeSignIn() throws Exception {
        talkToTheTui(Map.of("HOME", signedIn.toString()), SIGNED_IN, "\"auth\":\"Bearer " + SIGNED_IN + "\"");
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

            tui.typeLine("/exit");
            tui.awaitExit(60);
            assertThat(tui.screen()).contains("removing bottle");
        }
        String log = apiLog();
        assertThat(log).contains("\"url\":\"/v1/messages?beta=true\"").contains(injected)
                .doesNotContain("bottle-placeholder");
        assertThat(Docker.containers("claude-bottle.slug")).isEmpty();
    }
}
