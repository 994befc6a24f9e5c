package dev.claudebottle.bundle.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.claudebottle.bundle.record.AuditLog;
import dev.claudebottle.bundle.record.AuditRecord;
import dev.claudebottle.bundle.spend.Metering;
import dev.claudebottle.bundle.spend.Usage;
import dev.claudebottle.spi.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record sent as OpenTelemetry logs over OTLP/HTTP, to a receiver on loopback. */
class RecordExportTest {
    @TempDir
    Path dir;

    private static AuditRecord request(String host) {
        return new AuditRecord(Instant.now(), "web-1a2b", "10.0.0.2", "request", "GET", host, 443, "/x", "allow",
                "allow[0] " + host, "allowed", 200, 10, 20, 3);
    }

    @Test
    void everyLineWrittenReachesTheReceiverAsALogRecord() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
            ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             RecordExport export = new RecordExport("http://127.0.0.1:" + receiver.getAddress().getPort(),
                     "web-1a2b", new DaemonLog("record", new PrintStream(logged, true)), Duration.ofMillis(100))) {
            audit.onLine(export);
            audit.write(request("exported.test"));
            audit.write(request("second.test"));

            Await.until(Duration.ofSeconds(15), "the second line at the receiver",
                    () -> String.join("", received).contains("second.test"));
        } finally {
            receiver.stop(0);
        }
        String bodies = String.join("", received);
        assertThat(paths).contains("/v1/logs");
        assertThat(bodies).as("the line itself, chained, is the body").contains("exported.test").contains("\"seq\":0")
                .contains("claude_bottle.bottle").contains("web-1a2b").contains("claude_bottle.kind");
    }

    @Test
    void eachMeteredCallsUsageLineReachesTheReceiverWithItsKindModelAndRunningTotal() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        try (AuditLog audit = new AuditLog(dir.resolve("audit.jsonl"));
             RecordExport export = new RecordExport("http://127.0.0.1:" + receiver.getAddress().getPort(),
                     "web-1a2b", new DaemonLog("record", new PrintStream(new ByteArrayOutputStream(), true)),
                     Duration.ofMillis(100));
             Metering metering = Metering.unlimited(audit, "web-1a2b")) {
            audit.onLine(export);
            metering.add(Usage.of("claude-sonnet-4-5-20250929", 1200, 300, 0, 0));
            metering.add(Usage.of("claude-haiku-4-5", 100, 20, 0, 0));

            Await.until(Duration.ofSeconds(15), "the second usage line at the receiver",
                    () -> String.join("", received).contains("\"total_tokens\":1620"));
        } finally {
            receiver.stop(0);
        }
        String bodies = String.join("", received);
        assertThat(bodies).contains("claude_bottle.kind").contains("\"kind\":\"usage\"")
                .contains("\"model\":\"claude-sonnet-4-5-20250929\"").contains("\"total_tokens\":1500")
                .contains("\"total_usd\":\"0.0081\"");
    }

    @Test
    void aReceiverThatIsGoneNeitherStopsTheRecordNorGoesUnsaid() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = new AuditLog(file);
             RecordExport export = new RecordExport("http://127.0.0.1:" + closed, "web-1a2b",
                     new DaemonLog("record", new PrintStream(logged, true)), Duration.ofMillis(100))) {
            audit.onLine(export);
            for (int i = 0; i < 200; i++) {
                audit.write(request("h" + i + ".test"));
            }
            assertThat(Files.readAllLines(file)).as("every line is on disk whatever the receiver does").hasSize(200);
            Await.until(Duration.ofSeconds(15), "the export's failure in the daemon's log",
                    () -> logged.toString(StandardCharsets.UTF_8).contains("fails"));
        }
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("exporting the record to http://127.0.0.1:"
                + closed + "/v1/logs fails").contains("the record on disk is complete");
    }
}
