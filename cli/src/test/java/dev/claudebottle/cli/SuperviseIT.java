package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * supervise from a real guest: an MCP client in the guest calls request_approval over streamable
 * HTTP, and the call returns only after {@code bottle supervise approve} on the host.
 */
@Tag("docker")
class SuperviseIT {
    /** A minimal MCP client on Node's fetch: initialize, then call request_approval and print the answer. */
    private static final String CLIENT = String.join("",
            "const u=process.env.MCP_SUPERVISE_URL;",
            "const h={'content-type':'application/json',accept:'application/json, text/event-stream'};",
            "const post=(b,s)=>fetch(u,{method:'POST',headers:s?{...h,'mcp-session-id':s}:h,body:JSON.stringify(b)});",
            "(async()=>{",
            "let r=await post({jsonrpc:'2.0',id:1,method:'initialize',params:{protocolVersion:'2025-03-26',",
            "capabilities:{},clientInfo:{name:'it',version:'1'}}});",
            "const s=r.headers.get('mcp-session-id');await r.text();",
            "await (await post({jsonrpc:'2.0',method:'notifications/initialized'},s)).text();",
            "r=await post({jsonrpc:'2.0',id:2,method:'tools/call',params:{name:'request_approval',",
            "arguments:{title:'guest asks',details:'from inside the bottle',kind:'command'}}},s);",
            "console.log('RESULT '+await r.text());",
            "})().catch(e=>{console.log('ERR '+e);process.exit(1);});");

    @Test
    void aGuestRequestBlocksUntilTheHostApproves(@TempDir Path temp) throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path work = Files.createDirectories(temp.resolve("work"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  watched:
                    supervise: {timeout: 3m}
                agents:
                  probe:
                    bottle: watched
                    command: [bash]
                """);
        CliHarness cli = new CliHarness(home, work);
        var started = cli.run("start", "probe", "--detach");
        assertThat(started.exitCode()).as(started.all()).isZero();
        String slug = started.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        try {
            var mcpList = cli.run("exec", slug, "--", "claude", "mcp", "list");
            assertThat(mcpList.out()).contains("supervise").contains(":9100/mcp");

            CompletableFuture<CliHarness.Result> call = CompletableFuture.supplyAsync(
                    () -> cli.run("exec", slug, "--", "node", "-e", CLIENT));
            JsonNode pending = awaitPending(cli);
            assertThat(pending.get("slug").asText()).isEqualTo(slug);
            assertThat(pending.get("title").asText()).isEqualTo("guest asks");
            assertThat(call).isNotDone();

            var approve = cli.run("supervise", "approve", pending.get("id").asText());
            assertThat(approve.exitCode()).as(approve.all()).isZero();

            CliHarness.Result answered = call.get(60, TimeUnit.SECONDS);
            assertThat(answered.out()).contains("RESULT").contains("\"decision\":\"approved\"");
            var approvals = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("logs", slug,
                    "--egress", "--kind", "approval", "--json").out());
            assertThat(approvals.findValuesAsText("method")).containsExactly("request", "decision");
            assertThat(approvals.get(1).get("decision").asText()).isEqualTo("approved");
            assertThat(approvals.get(1).get("reason").asText()).as("who decided, and when")
                    .startsWith("decided by a person at ");
        } finally {
            assertThat(cli.run("stop", slug).exitCode()).isZero();
        }
    }

    private static JsonNode awaitPending(CliHarness cli) throws Exception {
        return Await.value(Duration.ofSeconds(60), "a pending request", () -> {
            for (JsonNode r : new ObjectMapper().readTree(cli.run("supervise", "ls", "--json").out())) {
                if (r.get("state").asText().equals("pending")) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        });
    }
}
