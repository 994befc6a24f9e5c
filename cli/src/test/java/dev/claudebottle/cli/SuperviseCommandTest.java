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
        assertThat(approved.out()).contains("approved a1b2c3d4 (web-1a2b): push to main");
        assertThat(denied.out()).contains("denied e5f6a7b8 (api-9f8e)");
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
        assertThat(r.out()).contains("pending  a1b2c3d4 web-1a2b command: push to main")
                .contains("approved a1b2c3d4").contains("denied   e5f6a7b8 api-9f8e command: drop the table (too risky)");
        assertThat(lsJson().findValuesAsText("state")).containsExactly("expired", "approved", "denied");
    }
}
