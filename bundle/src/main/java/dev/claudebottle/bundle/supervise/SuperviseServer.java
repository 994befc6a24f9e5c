package dev.claudebottle.bundle.supervise;

import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.Wire;
import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.bundle.queue.ApprovalQueue;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.JsonSchema;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The supervise daemon: an MCP server (streamable HTTP at {@code /mcp}) whose
 * {@code request_approval} tool blocks until a human decides through the approval queue, or the
 * timeout passes (a deny), and whose {@code notify} tool leaves the human a message.
 */
public final class SuperviseServer implements AutoCloseable {
    /** The MCP endpoint's path. */
    public static final String ENDPOINT = "/mcp";
    private static final Duration POLL = Duration.ofMillis(200);
    /** Who asks, in the record's approval lines. */
    private static final String ASKER = "supervise";
    /** How often what the rate limit dropped is summed up in the record. */
    private static final Duration DROP_SUMMARY = Duration.ofSeconds(10);
    private final ApprovalQueue queue;
    private final Duration timeout;
    private final AuditLog audit;
    private final DaemonLog log;
    private final String slug;
    private final Server jetty;
    private final ServerConnector connector;
    private final McpSyncServer mcp;
    private final java.util.concurrent.ScheduledExecutorService summaries =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "supervise-dropped");
                t.setDaemon(true);
                return t;
            });

    /** A server for bottle {@code slug} on {@code address}; requests wait at most {@code timeout}. */
    public SuperviseServer(ApprovalQueue queue, Duration timeout, AuditLog audit, DaemonLog log, String slug,
                           InetSocketAddress address) {
        this.queue = queue;
        this.timeout = timeout;
        this.audit = audit;
        this.log = log;
        this.slug = slug;
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint(ENDPOINT)
                .keepAliveInterval(Duration.ofSeconds(30))
                .build();
        this.mcp = McpServer.sync(transport)
                .serverInfo("claude-bottle-supervise", "1")
                .instructions("Ask the human who runs this bottle before anything risky or irreversible: "
                        + "call request_approval and proceed only when it returns approved.")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .requestTimeout(timeout.plusMinutes(1))
                .tools(List.of(requestApproval(), notifyTool()))
                .build();
        this.jetty = new Server();
        this.connector = new ServerConnector(jetty);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        // a request_approval call holds its response open until the human decides
        connector.setIdleTimeout(timeout.plusMinutes(1).toMillis());
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        jetty.setHandler(context);
    }

    /** Starts listening, after expiring requests whose deadline passed while no bundle ran. */
    public InetSocketAddress start() throws Exception {
        int expired = queue.expireOverdue();
        if (expired > 0) {
            log.info(expired + " request(s) expired while the bundle was down");
        }
        jetty.start();
        summaries.scheduleWithFixedDelay(this::recordDropped, DROP_SUMMARY.toMillis(), DROP_SUMMARY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(),
                connector.getLocalPort());
    }

    private SyncToolSpecification requestApproval() {
        Tool tool = Tool.builder()
                .name("request_approval")
                .description("Ask the human supervising this bottle to approve an action, and wait for the answer. "
                        + "Blocks until they approve or deny; with no answer within " + timeout.toMinutes()
                        + " minute(s) the request is denied. Proceed only when the decision is approved.")
                .inputSchema(new JsonSchema("object", Map.of(
                        "title", Map.of("type", "string", "description", "one line: what you want to do"),
                        "details", Map.of("type", "string", "description", "why, and exactly what will happen"),
                        "kind", Map.of("type", "string", "description",
                                "what sort of action: command, network, git, file, other")),
                        List.of("title"), false, null, null))
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
            String title = text(args.get("title"));
            if (title.isBlank()) {
                return CallToolResult.builder().addTextContent("request_approval needs a title").isError(true).build();
            }
            String details = text(args.get("details"));
            String kind = text(args.get("kind")).isBlank() ? "other" : text(args.get("kind"));
            try {
                ApprovalQueue.Pending pending = queue.submit(ApprovalQueue.Question.ofAgent(title, details, kind),
                        timeout);
                audit.write(AuditRecord.approval(slug, "request", ASKER, pending.id(), pending.resumed() ? "resumed"
                        : "pending", kind + ": " + title));
                ApprovalQueue.Outcome outcome = queue.await(pending, POLL);
                audit.write(AuditRecord.approval(slug, "decision", ASKER, pending.id(), Wire.name(outcome.state()),
                        AuditRecord.decided(Wire.name(outcome.by()), outcome.decidedAt(),
                        Wire.name(outcome.scope()), outcome.reason())));
                return result(outcome);
            } catch (ApprovalQueue.Refused e) {
                return CallToolResult.builder().addTextContent("denied: " + e.getMessage()).isError(true).build();
            } catch (IOException e) {
                log.error("approval queue: " + e.getMessage());
                return CallToolResult.builder().addTextContent("denied: the approval queue failed (" + e.getMessage()
                        + ")").isError(true).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CallToolResult.builder().addTextContent("denied: the supervise server is stopping")
                        .isError(true).build();
            }
        }).build();
    }

    private static CallToolResult result(ApprovalQueue.Outcome outcome) {
        String decision = outcome.approved() ? "approved" : "denied";
        Map<String, Object> structured = new LinkedHashMap<>();
        structured.put("id", outcome.id());
        structured.put("decision", decision);
        structured.put("state", Wire.name(outcome.state()));
        structured.put("reason", outcome.reason());
        String text = decision + (outcome.state() == ApprovalQueueFiles.State.EXPIRED ? " (expired)" : "")
                + (outcome.reason().isBlank() ? "" : ": " + outcome.reason());
        return CallToolResult.builder().addTextContent(text).structuredContent(structured).isError(false).build();
    }

    private SyncToolSpecification notifyTool() {
        Tool tool = Tool.builder()
                .name("notify")
                .description("Leave the human supervising this bottle a message; does not wait for an answer.")
                .inputSchema(new JsonSchema("object", Map.of("message", Map.of("type", "string")),
                        List.of("message"), false, null, null))
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            String message = text(request.arguments() == null ? null : request.arguments().get("message"));
            if (message.isBlank()) {
                return CallToolResult.builder().addTextContent("notify needs a message").isError(true).build();
            }
            try {
                String id = queue.notify(message);
                record("notify", id, "allow", message);
                return CallToolResult.builder().addTextContent("delivered").isError(false).build();
            } catch (ApprovalQueue.Refused e) {
                return CallToolResult.builder().addTextContent("not delivered: " + e.getMessage()).isError(true)
                        .build();
            } catch (IOException e) {
                log.error("notification: " + e.getMessage());
                return CallToolResult.builder().addTextContent("not delivered: " + e.getMessage()).isError(true)
                        .build();
            }
        }).build();
    }

    private void record(String method, String id, String decision, String reason) {
        audit.write(new AuditRecord(Instant.now(), slug, "", "supervise", method, "supervise",
                connector.getLocalPort(), id, decision, "supervise", reason, 0, 0, 0, 0));
    }

    /** One record line for what the rate limit dropped since the last one, if anything was. */
    private void recordDropped() {
        var dropped = queue.droppedSinceLastAsked();
        if (dropped.any()) {
            String what = dropped.describe();
            log.info("the agent's " + what);
            record("dropped", "rate-limit", "deny", what);
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().strip();
    }

    @Override
    public void close() throws Exception {
        summaries.shutdownNow();
        recordDropped();
        mcp.closeGracefully();
        jetty.stop();
    }
}
