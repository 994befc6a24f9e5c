package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bottle supervise} against approval queues laid out as the bundle writes them, in two bottles. */
class SuperviseCommandTest {
    @TempDir
    Path home;
    CliHarness cli;

    @BeforeEach
    void queues() throws Exception {
        cli = new CliHarness(home, home);
        request("web-1a2b", "a1b2c3d4", "push to main", Instant.now().minusSeconds(30), Instant.now().plusSeconds(600));
        request("api-9f8e", "e5f6a7b8", "drop the table", Instant.now().minusSeconds(10), Instant.now().plusSeconds(600));
        request("api-9f8e", "0badf00d", "old question", Instant.now().minusSeconds(900), Instant.now().minusSeconds(300));
    }

    private void request(String slug, String id, String title, Instant created, Instant expires) throws Exception {
        Path queue = home.resolve("bottles").resolve(slug).resolve("supervise");
        for (String dir : new String[] {"requests", "decisions", "notifications"}) {
            Files.createDirectories(queue.resolve(dir));
        }
        Files.writeString(queue.resolve("requests").resolve(id + ".json"), """
                {"id": "%s", "slug": "%s", "title": "%s", "details": "d", "kind": "command",
                 "created_at": "%s", "expires_at": "%s", "key": "k-%s"}
                """.formatted(id, slug, title, created, expires, id));
    }

    private JsonNode lsJson() throws Exception {
        var r = cli.run("supervise", "ls", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void lsShowsEveryBottlesRequestsWithTheirState() throws Exception {
        JsonNode rows = lsJson();

        assertThat(rows).hasSize(3);
        assertThat(rows.findValuesAsText("id")).containsExactly("0badf00d", "a1b2c3d4", "e5f6a7b8");
        assertThat(rows.findValuesAsText("state")).containsExactly("expired", "pending", "pending");
        assertThat(rows.get(1).get("slug").asText()).isEqualTo("web-1a2b");
        assertThat(rows.get(1).fieldNames()).toIterable().contains("id", "slug", "title", "kind", "state", "created_at");
        var table = cli.run("supervise", "ls");
        assertThat(table.out()).contains("push to main", "drop the table", "web-1a2b", "api-9f8e")
                .doesNotContain("old question");
    }

    @Test
    void approveAndDenyDecideOnceAndNameTheRequest() throws Exception {
        var approved = cli.run("supervise", "approve", "a1b2c3d4");
        var denied = cli.run("supervise", "deny", "e5f6a7b8", "--reason", "not on prod");

        assertThat(approved.exitCode()).isZero();
        assertThat(approved.out()).contains("approved a1b2c3d4 (web-1a2b, asked by agent, for bottle): the agent asks: "
                + "push to main");
        assertThat(denied.out()).contains("denied e5f6a7b8 (api-9f8e, asked by agent)");
        JsonNode rows = lsJson();
        assertThat(rows.get(2).get("state").asText()).isEqualTo("denied");
        assertThat(rows.get(2).get("reason").asText()).isEqualTo("not on prod");

        var again = cli.run("supervise", "deny", "a1b2c3d4");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(again.err()).contains("already approved");
        var expired = cli.run("supervise", "approve", "0badf00d");
        assertThat(expired.err()).contains("already expired");
        var unknown = cli.run("supervise", "approve", "12345678");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).contains("no bottle has a request 12345678");
    }

    @Test
    void watchListsPendingRequestsAndDecidesFromTheKeyboard() throws Exception {
        var r = cli.runWithInput(new ByteArrayInputStream("a\nd e5f6a7b8 too risky\nq\n".getBytes(StandardCharsets.UTF_8)),
                "supervise", "watch");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("pending  a1b2c3d4 web-1a2b agent command: the agent asks: push to main")
                .contains(">> a1b2c3d4 web-1a2b agent: the agent asks: push to main")
                .contains("approved a1b2c3d4")
                .contains("denied   e5f6a7b8 api-9f8e agent command: the agent asks: drop the table (too risky)");
        assertThat(lsJson().findValuesAsText("state")).containsExactly("expired", "approved", "denied");
    }

    @Test
    void watchDecidesTheIdTypedOrNothing() throws Exception {
        cli.run("supervise", "deny", "e5f6a7b8");

        // an id just decided, an unknown id, and a reason where the id goes: none decides another request
        var r = cli.runWithInput(new ByteArrayInputStream("a e5f6a7b8\na 12345678\nd too risky\nq\n"
                .getBytes(StandardCharsets.UTF_8)), "supervise", "watch");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("already denied; nothing was decided")
                .contains("no bottle has a request 12345678; nothing was decided")
                .contains("'too' is not a request id; nothing was decided");
        assertThat(lsJson().findValuesAsText("state")).containsExactly("expired", "pending", "denied");
    }

    @Test
    void anAgentsQuestionOfKindEgressIsShownAsTheAgentsAndCannotBeSavedIntoAManifest() throws Exception {
        Path queue = home.resolve("bottles/web-1a2b/supervise/requests");
        Files.writeString(queue.resolve("c0ffee01.json"), """
                {"id": "c0ffee01", "slug": "web-1a2b", "asker": "gateway", "title": "egress to evil.test:443 (CONNECT)",
                 "details": "d", "kind": "egress", "created_at": "%s", "expires_at": "%s", "key": "k",
                 "target": "evil.test:443"}
                """.formatted(Instant.now(), Instant.now().plusSeconds(600)).replace("\"asker\": \"gateway\", ", ""));

        JsonNode row = lsJson().get(3);
        assertThat(row.get("asker").asText()).isEqualTo("agent");
        assertThat(cli.run("supervise", "ls").out()).contains("agent    egress")
                .contains("the agent asks: egress to evil.test:443");
        var saved = cli.run("supervise", "approve", "c0ffee01", "--scope", "manifest");
        assertThat(saved.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(saved.err()).contains("not the gateway's question");
        assertThat(lsJson().get(3).get("state").asText()).isEqualTo("pending");

        // a kind that writes to the clipboard and rewrites the line, quoted by the refusal
        Files.writeString(queue.resolve("c0ffee02.json"), """
                {"id": "c0ffee02", "slug": "web-1a2b", "title": "t", "details": "d",
                 "kind": "x\\u001b]52;c;ZXZpbA==\\u0007\\rok", "created_at": "%s", "expires_at": "%s", "key": "k2"}
                """.formatted(Instant.now(), Instant.now().plusSeconds(600)));
        var hostile = cli.run("supervise", "approve", "c0ffee02", "--scope", "manifest");
        assertThat(hostile.err()).contains("\\u001b]52").doesNotContain("\u001b").doesNotContain("\r");
    }

    @Test
    void aGatewaysQuestionShowsWhereTheHostPointsAndItsGrantCanBeRevoked() throws Exception {
        Path queue = home.resolve("bottles/web-1a2b/supervise/requests");
        Files.writeString(queue.resolve("facade01.json"), """
                {"id": "facade01", "slug": "web-1a2b", "asker": "gateway", "title": "egress to lan.test:80 (GET /x)",
                 "details": "d", "kind": "egress", "created_at": "%s", "expires_at": "%s", "key": "k",
                 "target": "lan.test:80", "egress": {"host": "lan.test", "port": 80, "method": "GET", "path": "/x",
                 "addresses": ["172.17.0.1"], "private": true}}
                """.formatted(Instant.now(), Instant.now().plusSeconds(600)));

        assertThat(cli.run("supervise", "ls").out()).contains("gateway  egress")
                .contains("GET lan.test:80/x, resolves to 172.17.0.1 (PRIVATE NETWORK)");
        var toManifest = cli.run("supervise", "approve", "facade01", "--scope", "manifest");
        assertThat(toManifest.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(toManifest.err()).contains("private-network addresses");
        var approved = cli.run("supervise", "approve", "facade01");
        assertThat(approved.out()).contains("approved facade01 (web-1a2b, asked by gateway, for bottle): GET "
                + "lan.test:80/x, resolves to 172.17.0.1 (PRIVATE NETWORK)");

        var revoked = cli.run("supervise", "revoke", "facade01");
        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked facade01");
        assertThat(Files.exists(home.resolve("bottles/web-1a2b/supervise/revoked/facade01.json"))).isTrue();
        JsonNode row = lsJson().get(3);
        assertThat(row.get("revoked").asBoolean()).isTrue();
        assertThat(cli.run("supervise", "ls", "--all").out()).contains("revoked");
        var again = cli.run("supervise", "revoke", "facade01");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
        var agents = cli.run("supervise", "revoke", "a1b2c3d4");
        assertThat(agents.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(agents.err()).contains("granted nothing that lasts");
    }

    @Test
    void aQueueFileNoBundleWritesIsPassedOverUnread() throws Exception {
        Path queue = home.resolve("bottles/web-1a2b/supervise/requests");
        // far larger than any request a bundle writes: read whole, a few hundred of these exhaust the CLI
        try (var big = Files.newBufferedWriter(queue.resolve("deadbeef.json"))) {
            big.write("{\"id\": \"deadbeef\", \"title\": \"");
            for (int i = 0; i < 1024; i++) {
                big.write("x".repeat(1024));
            }
            big.write("\"}");
        }

        JsonNode rows = lsJson();

        assertThat(rows.findValuesAsText("id")).containsExactly("0badf00d", "a1b2c3d4", "e5f6a7b8");
    }
}
