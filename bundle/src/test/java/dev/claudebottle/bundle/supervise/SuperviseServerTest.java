package dev.claudebottle.bundle.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.records.ApprovalBoard;
import dev.claudebottle.spi.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervise server on loopback with the MCP SDK's own client on one side and the host's
 * approval board (what {@code bottle supervise} uses) on the other, sharing a queue folder.
 */
class SuperviseServerTest {
    @TempDir
    Path temp;
    final List<AutoCloseable> open = new ArrayList<>();
    SuperviseServer server;
    String url;

    private Path queueDir() {
        return temp.resolve("bottles/test-1/supervise");
    }

    private ApprovalBoard board() {
        return new ApprovalBoard(temp.resolve("bottles"), Clock.systemUTC());
    }

    private void startServer(Duration timeout) throws Exception {
        ApprovalQueue queue = new ApprovalQueue(queueDir(), "test-1", Clock.systemUTC());
        AuditLog audit = new AuditLog(temp.resolve("audit.jsonl"));
        server = new SuperviseServer(queue, timeout, audit, new DaemonLog("supervise",
                new PrintStream(new ByteArrayOutputStream())), "test-1", new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = server.start();
        open.add(server);
        open.add(audit);
        url = "http://127.0.0.1:" + address.getPort();
    }

    private McpSyncClient client() {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp").build())
                .requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        open.add(client::close);
        return client;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static CompletableFuture<CallToolResult> ask(McpSyncClient client, String title, String details) {
        return CompletableFuture.supplyAsync(() -> client.callTool(new CallToolRequest("request_approval",
                Map.of("title", title, "details", details, "kind", "command"))));
    }

    /** Waits until the board shows a request matching {@code which}; returns it. */
    private ApprovalBoard.Request awaitRequest(Predicate<ApprovalBoard.Request> which) throws Exception {
        return Await.value(Duration.ofSeconds(20), "a matching request on the board",
                () -> board().requests().stream().filter(which).findFirst());
    }

    /** Waits until the audit log holds {@code text}. */
    private void awaitAudit(String text) throws Exception {
        Path audit = temp.resolve("audit.jsonl");
        Await.until(Duration.ofSeconds(20), text + " in the audit log",
                () -> Files.exists(audit) && Files.readString(audit).contains(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }

    @Test
    void anApprovedRequestReturnsApprovedOnlyAfterTheHumanDecides() throws Exception {
        startServer(Duration.ofMinutes(5));
        McpSyncClient client = client();
        assertThat(client.listTools().tools()).extracting(Tool::name).contains("request_approval", "notify");

        CompletableFuture<CallToolResult> answer = ask(client, "run the migration", "psql -f migrate.sql");
        ApprovalBoard.Request pending = awaitRequest(r -> r.title().equals("run the migration"));
        assertThat(pending.state()).isEqualTo(ApprovalQueueFiles.State.PENDING);
        assertThat(pending.slug()).isEqualTo("test-1");
        assertThat(pending.details()).isEqualTo("psql -f migrate.sql");
        assertThat(answer).isNotDone();

        board().decide(pending.id(), true, "");

        // "approved", and this request's id, can only come from the decision just made.
        CallToolResult result = answer.get(20, TimeUnit.SECONDS);
        assertThat(structured(result)).containsEntry("decision", "approved").containsEntry("id", pending.id());
        assertThat(((TextContent) result.content().get(0)).text()).startsWith("approved");
        assertThat(board().requests()).singleElement().extracting(ApprovalBoard.Request::state).isEqualTo(ApprovalQueueFiles.State.APPROVED);
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"kind\":\"approval\"")
                .contains("\"decision\":\"pending\"").contains("\"decision\":\"approved\"")
                .contains("decided by a person at ");
    }

    @Test
    void aDeniedRequestCarriesTheReason() throws Exception {
        startServer(Duration.ofMinutes(5));
        CompletableFuture<CallToolResult> answer = ask(client(), "push to main", "git push origin main");
        ApprovalBoard.Request pending = awaitRequest(r -> r.pending());

        board().decide(pending.id(), false, "open a pull request instead");

        CallToolResult result = answer.get(20, TimeUnit.SECONDS);
        assertThat(structured(result)).containsEntry("decision", "denied")
                .containsEntry("reason", "open a pull request instead");
        assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("denied: open a pull request instead");
    }

    @Test
    void noDecisionBeforeTheTimeoutIsADeny() throws Exception {
        startServer(Duration.ofSeconds(1));

        CallToolResult result = ask(client(), "delete the cache", "rm -rf cache").get(20, TimeUnit.SECONDS);

        assertThat(structured(result)).containsEntry("decision", "denied").containsEntry("state", "expired");
        ApprovalBoard.Request expired = board().requests().get(0);
        assertThat(expired.state()).isEqualTo(ApprovalQueueFiles.State.EXPIRED);
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains("\"decision\":\"expired\"");
    }

    @Test
    void concurrentRequestsAreDecidedEachOnItsOwn() throws Exception {
        startServer(Duration.ofMinutes(5));
        McpSyncClient client = client();
        CompletableFuture<CallToolResult> first = ask(client, "first action", "one");
        CompletableFuture<CallToolResult> second = ask(client(), "second action", "two");
        ApprovalBoard.Request a = awaitRequest(r -> r.title().equals("first action"));
        ApprovalBoard.Request b = awaitRequest(r -> r.title().equals("second action"));
        assertThat(a.id()).isNotEqualTo(b.id());

        board().decide(b.id(), false, "not this one");
        assertThat(structured(second.get(20, TimeUnit.SECONDS))).containsEntry("decision", "denied");
        assertThat(first).isNotDone();
        board().decide(a.id(), true, "");
        assertThat(structured(first.get(20, TimeUnit.SECONDS))).containsEntry("decision", "approved");
    }

    @Test
    void aRestartedServerKeepsPendingRequestsAndTheAgentGetsTheDecision() throws Exception {
        startServer(Duration.ofMinutes(5));
        CompletableFuture<CallToolResult> lost = ask(client(), "deploy", "to staging");
        ApprovalBoard.Request pending = awaitRequest(r -> r.title().equals("deploy"));
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
        assertThat(lost).failsWithin(Duration.ofSeconds(20));

        startServer(Duration.ofMinutes(5));
        assertThat(board().requests()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(pending.id());
            assertThat(r.state()).isEqualTo(ApprovalQueueFiles.State.PENDING);
        });
        CompletableFuture<CallToolResult> again = ask(client(), "deploy", "to staging");
        awaitAudit("\"decision\":\"resumed\"");
        assertThat(board().requests()).singleElement().extracting(ApprovalBoard.Request::id).isEqualTo(pending.id());
        board().decide(pending.id(), true, "go");

        assertThat(structured(again.get(20, TimeUnit.SECONDS))).containsEntry("decision", "approved")
                .containsEntry("id", pending.id());
    }

    @Test
    void aQuestionAskedAgainAfterItsDecisionIsANewRequestNotTheOldAnswer() throws Exception {
        startServer(Duration.ofMinutes(5));
        McpSyncClient client = client();
        CompletableFuture<CallToolResult> first = ask(client, "push to main", "git push origin main");
        ApprovalBoard.Request decided = awaitRequest(r -> r.title().equals("push to main"));
        board().decide(decided.id(), true, "");
        assertThat(structured(first.get(20, TimeUnit.SECONDS))).containsEntry("decision", "approved");

        CompletableFuture<CallToolResult> replay = ask(client, "push to main", "git push origin main");
        ApprovalBoard.Request fresh = awaitRequest(r -> r.pending());

        assertThat(fresh.id()).isNotEqualTo(decided.id());
        assertThat(replay).isNotDone();
        board().decide(fresh.id(), false, "not twice");
        assertThat(structured(replay.get(20, TimeUnit.SECONDS))).containsEntry("decision", "denied")
                .containsEntry("id", fresh.id());
    }

    @Test
    void notifyLeavesTheHumanAMessage() throws Exception {
        startServer(Duration.ofMinutes(5));

        CallToolResult result = client().callTool(new CallToolRequest("notify", Map.of("message", "tests pass")));

        assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("delivered");
        assertThat(board().notifications()).singleElement().satisfies(n -> {
            assertThat(n.message()).isEqualTo("tests pass");
            assertThat(n.slug()).isEqualTo("test-1");
        });
    }

    @Test
    void aFloodOfNotificationsIsDroppedOverTheRateAndTheRecordSaysHowMany() throws Exception {
        startServer(Duration.ofMinutes(5));
        McpSyncClient client = client();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            CallToolResult r = client.callTool(new CallToolRequest("notify", Map.of("message", "flood " + i)));
            if (Boolean.TRUE.equals(r.isError())) {
                refused++;
                assertThat(((TextContent) r.content().get(0)).text()).startsWith("not delivered").contains("dropped");
            }
        }
        CallToolResult huge = client.callTool(new CallToolRequest("notify", Map.of("message", "x".repeat(1 << 20))));

        assertThat(refused).isGreaterThanOrEqualTo(40 - 21);
        assertThat(huge.isError()).isTrue();
        assertThat(board().notifications()).hasSize(40 - refused);
        server.close();
        assertThat(Files.readString(temp.resolve("audit.jsonl"))).contains(refused + " notifications dropped since");
    }

    @Test
    void theAgentsQuestionsAreBoundedInNumberAndSizeAndShowAsTheAgents() throws Exception {
        startServer(Duration.ofMinutes(5));
        List<CompletableFuture<CallToolResult>> waiting = new ArrayList<>();
        for (int i = 0; i < ApprovalQueue.MAX_OPEN_AGENT; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> client().callTool(new CallToolRequest("request_approval",
                    Map.of("title", "egress to registry.npmjs.org:443 (CONNECT) " + waiting.size(), "kind", "egress")))));
            int n = i + 1;
            awaitRequest(r -> board().requests().size() >= n);
        }

        CallToolResult more = client().callTool(new CallToolRequest("request_approval", Map.of("title", "one more")));
        CallToolResult long_ = client().callTool(new CallToolRequest("request_approval", Map.of("title", "t",
                "details", "d".repeat(1 << 20))));

        assertThat(((TextContent) more.content().get(0)).text()).contains("already wait for a person");
        assertThat(((TextContent) long_.content().get(0)).text()).contains("at most 4096");
        assertThat(board().requests()).hasSize(ApprovalQueue.MAX_OPEN_AGENT).allSatisfy(r -> {
            assertThat(r.asker()).as("a question of kind egress from the agent is the agent's")
                    .isEqualTo(dev.claudebottle.contract.ApprovalQueueFiles.Asker.AGENT);
            assertThat(r.shown()).startsWith("the agent asks: ");
            assertThat(r.egress()).isEmpty();
        });
        for (ApprovalBoard.Request r : board().requests()) {
            board().decide(r.id(), false, "");
        }
        for (var w : waiting) {
            assertThat(structured(w.get(20, TimeUnit.SECONDS))).containsEntry("decision", "denied");
        }
    }
}
