package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.claudebottle.bundle.spend.Metering;
import dev.claudebottle.contract.BudgetFile;
import dev.claudebottle.spi.testing.Await;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bottle's spend on the model through a real gateway: a fake Messages API that bills 40 tokens a
 * call (25 in, 15 out, streamed as the API streams: usage in message_start and a cumulative
 * message_delta), a budget that the third call spends, and the fourth refused before it leaves.
 */
class GatewaySpendTest {
    private static final String API = MeteredCall.API;
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    GatewayFixture gw;
    HttpsServer api;
    final AtomicInteger calls = new AtomicInteger();
    final List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    Path budget;
    HttpClient client;

    private static String stream() {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                + "\"output_tokens\":1}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"hi\"}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":15}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp.resolve("gw"), Map.of(API, "127.0.0.1"));
        api = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        api.setHttpsConfigurator(new HttpsConfigurator(TestUpstream.serverTls(API, gw.upstreamCa)));
        api.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            paths.add(ex.getRequestURI().getRawPath());
            if (ex.getRequestURI().getRawPath().endsWith("count_tokens")) {
                byte[] counted = "{\"input_tokens\":25}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("content-type", "application/json");
                ex.sendResponseHeaders(200, counted.length);
                ex.getResponseBody().write(counted);
                ex.close();
                return;
            }
            if ("plain".equals(ex.getRequestURI().getQuery())) {
                byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("content-type", "text/plain");
                ex.sendResponseHeaders(200, text.length);
                ex.getResponseBody().write(text);
                ex.close();
                return;
            }
            if ("cut".equals(ex.getRequestURI().getQuery())) {
                // an answer the guest walks away from: 300 characters of text, then nothing until it is gone
                ex.getResponseHeaders().set("content-type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write(stream().substring(0, stream().indexOf("event: content_block_delta"))
                        .getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 10; i++) {
                    out.write(("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + "x".repeat(30) + "\"}}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                try {
                    while (true) {
                        Thread.sleep(50);
                        out.write(": waiting\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (java.io.IOException | InterruptedException gone) {
                    ex.close();
                }
                return;
            }
            byte[] body = stream().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("content-type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                // in pieces, as a stream comes
                for (int i = 0; i < body.length; i += 37) {
                    out.write(body, i, Math.min(37, body.length - i));
                    out.flush();
                }
            }
        });
        api.start();
        budget = temp.resolve("budget.json");
        writeBudget(100);
    }

    /** Starts the gateway with {@code route} to the API, metered against the budget; the key's route by default. */
    private void startWith(GatewayPolicy.Route route) throws Exception {
        gw.start(policy(List.of(), List.of(route)));
        gw.server.meter(new Metering(Optional.of(budget), gw.audit, "test-0001", Clock.systemUTC()));
        client = gw.client(true, false);
        credential = route.header().equals("authorization") ? Map.entry("authorization", "Bearer "
                + GatewayFixture.PLACEHOLDER) : Map.entry("x-api-key", GatewayFixture.PLACEHOLDER);
    }

    private void startWithTheKey() throws Exception {
        startWith(GatewayFixture.route(API, api.getAddress().getPort(), "x-api-key"));
    }

    @AfterEach
    void stop() {
        gw.close();
        api.stop(0);
    }

    private void writeBudget(long tokens) throws Exception {
        Path tmp = budget.resolveSibling("budget.json.tmp");
        Files.writeString(tmp, JSON.writeValueAsString(BudgetFile.toJson(new BudgetFile.Budget(Optional.of(tokens),
                Optional.empty(), Optional.of(80), List.of()))));
        Files.move(tmp, budget, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Map.Entry<String, String> credential;

    private HttpResponse<String> call() throws Exception {
        return call("/v1/messages?beta=true");
    }

    private HttpResponse<String> call(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + API + ":" + api.getAddress().getPort()
                        + path)).header(credential.getKey(), credential.getValue())
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> lines(String kind) throws Exception {
        return gw.auditLines().stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.path("kind").asText().equals(kind)).toList();
    }

    @Test
    void callsGoOnUntilTheBudgetIsSpentThenTheNextIsRefusedBeforeItLeaves() throws Exception {
        startWithTheKey();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = call();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).as("the stream passes whole").isEqualTo(stream());
        }
        Await.until(Duration.ofSeconds(5), "three usage lines", () -> lines("usage").size() == 3);

        HttpResponse<String> refused = call();

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("x-should-retry")).contains("false");
        assertThat(refused.headers().firstValue(Responses.REASON_HEADER)).contains("budget-spent");
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.at("/error/message").asText()).contains("120 of 100 tokens").contains("bottle budget");
        assertThat(calls).as("the API saw no call beyond the budget").hasValue(3);
        assertThat(lines("usage")).extracting(n -> n.path("total_tokens").asLong()).containsExactly(40L, 80L, 120L);
        assertThat(lines("usage").get(0).path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(new BigDecimal(lines("usage").get(2).path("total_usd").asText()))
                .as("3 x (25 in at $3 + 15 out at $15 per million)").isEqualByComparingTo("0.000900");
        assertThat(lines("budget")).extracting(n -> n.path("decision").asText()).containsExactly("warn", "deny");
    }

    @Test
    void aBudgetRaisedForARunningBottleLetsItGoOn() throws Exception {
        startWithTheKey();
        for (int i = 0; i < 3; i++) {
            call();
        }
        // a call is metered once its answer has gone to the guest: the fourth waits for the third's line
        Await.until(Duration.ofSeconds(5), "three usage lines", () -> lines("usage").size() == 3);
        assertThat(call().statusCode()).isEqualTo(429);

        writeBudget(1000);

        Await.until(Duration.ofSeconds(10), "a call to pass under the raised budget",
                () -> call().statusCode() == 200);
        assertThat(calls).hasValue(4);
    }

    @Test
    void callsWithATokenInTheAuthorizationHeaderAreMeteredAndRefusedAlike() throws Exception {
        // a setup token's route and a sign-in's both inject authorization: metering does not ask which credential
        startWith(GatewayFixture.bearerRoute(API, api.getAddress().getPort()));
        for (int i = 0; i < 3; i++) {
            assertThat(call().statusCode()).isEqualTo(200);
        }
        Await.until(Duration.ofSeconds(5), "three usage lines", () -> lines("usage").size() == 3);

        assertThat(call().statusCode()).isEqualTo(429);
        assertThat(calls).hasValue(3);
    }

    @Test
    void onceSpentEveryOtherSpellingOfAModelCallIsRefusedTooAndOnlyCountingTokensStillPasses() throws Exception {
        startWithTheKey();
        for (int i = 0; i < 3; i++) {
            call();
        }
        Await.until(Duration.ofSeconds(5), "three usage lines", () -> lines("usage").size() == 3);
        int before = calls.get();

        for (String path : List.of("/v1/messages/", "//v1/messages", "/v1/messages;x", "/v1/MESSAGES",
                "/v1/messages/batches", "/v1/complete", "/v1/messages/count_tokens/")) {
            HttpResponse<String> r = call(path);
            assertThat(r.statusCode()).as(path).isEqualTo(429);
            assertThat(r.headers().firstValue(Responses.REASON_HEADER)).as(path).contains("budget-spent");
        }
        assertThat(calls).as("none of them left").hasValue(before);
        assertThat(call("/v1/messages/count_tokens?beta=true").statusCode()).as("counting costs nothing")
                .isEqualTo(200);
        assertThat(calls).hasValue(before + 1);
    }

    @Test
    void aBottleWithABudgetCannotMakeMessageBatchesHoweverSpelt() throws Exception {
        startWithTheKey();
        for (String path : List.of("/v1/messages/batches", "/v1/messages/batches?beta=true", "/v1//messages/Batches")) {
            HttpResponse<String> r = call(path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.headers().firstValue(Responses.REASON_HEADER)).as(path).contains("unmetered");
            assertThat(JSON.readTree(r.body()).at("/error/type").asText()).isEqualTo("permission_error");
        }
        assertThat(calls).as("no batch reached the API").hasValue(0);
        assertThat(call().statusCode()).as("a plain call still goes").isEqualTo(200);
    }

    @Test
    void anAnswerTheGuestWalksAwayFromIsChargedForTheTextItStreamedNotTheOneTokenItStartedWith() throws Exception {
        startWithTheKey();
        java.net.http.HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(URI.create("https://"
                        + API + ":" + api.getAddress().getPort() + "/v1/messages?cut")).header(credential.getKey(),
                        credential.getValue()).POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            StringBuilder got = new StringBuilder();
            byte[] chunk = new byte[4096];
            while (got.toString().split("x".repeat(30), -1).length <= 10) {
                int read = in.read(chunk);
                assertThat(read).as("the stream goes on until the guest leaves").isPositive();
                got.append(new String(chunk, 0, read, StandardCharsets.UTF_8));
            }
        }

        Await.until(Duration.ofSeconds(10), "the cut answer's usage line", () -> lines("usage").size() == 1);
        JsonNode line = lines("usage").get(0);
        assertThat(line.path("tokens").asLong()).as("25 in, and at least 300 characters out at 3 a token")
                .isGreaterThanOrEqualTo(125);
        assertThat(line.path("reason").asText()).contains("estimated from the text streamed");
    }

    @Test
    void aModelCallWhoseAnswerReportsNoUsageIsALineInTheRecordNotASilentZero() throws Exception {
        startWithTheKey();
        assertThat(call("/v1/messages?plain").statusCode()).isEqualTo(200);

        Await.until(Duration.ofSeconds(5), "a line about the call", () -> lines("budget").stream()
                .anyMatch(n -> n.path("reason").asText().contains("reported no usage")));
        assertThat(lines("usage")).isEmpty();
    }
}
