package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.SignInFile;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route that takes its credential from the host's Claude sign-in, through a real gateway: a fake
 * token endpoint answering as {@code platform.claude.com} with single-use rotating refresh tokens,
 * and a fake API that takes only live access tokens. The guest holds sentinels only.
 */
class GatewaySignInTest {
    private static final String API = "api.anthropic.com";
    private static final String OTHER = "other.upstream.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    GatewayFixture gw;
    Path folder;
    TokenServer tokens;
    HttpsServer api;
    final List<String> apiAuth = new CopyOnWriteArrayList<>();
    final List<String> apiKeys = new CopyOnWriteArrayList<>();
    HttpClient client;

    /** A token endpoint as Claude's: each refresh token works once, access tokens are live until revoked. */
    static final class TokenServer implements AutoCloseable {
        final HttpsServer server;
        final Set<String> liveRefresh = ConcurrentHashMap.newKeySet();
        final Set<String> liveAccess = ConcurrentHashMap.newKeySet();
        final Set<String> issued = ConcurrentHashMap.newKeySet();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger reuses = new AtomicInteger();
        final AtomicInteger generation = new AtomicInteger();
        /** Rotates the pair, then closes the connection unanswered: the answer is lost on the way. */
        volatile boolean loseAnswers;

        TokenServer(LeafCertificates ca) throws Exception {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setHttpsConfigurator(new HttpsConfigurator(TestUpstream.serverTls(SignInEndpoint.HOST, ca)));
            server.createContext("/v1/oauth/token", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        synchronized void handle(HttpExchange ex) throws IOException {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            String refresh = body.path("refresh_token").asText();
            if (!liveRefresh.remove(refresh)) {
                reuses.incrementAndGet();
                send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token " + refresh
                        + " is spent\"}");
                return;
            }
            refreshes.incrementAndGet();
            int n = generation.incrementAndGet();
            String access = "sk-ant-oat01-LIVE-ACCESS-" + n;
            String next = "sk-ant-ort01-LIVE-REFRESH-" + n;
            liveAccess.add(access);
            liveRefresh.add(next);
            issued.addAll(List.of(access, next));
            if (loseAnswers) {
                ex.getResponseBody().close();
                ex.close();
                return;
            }
            send(ex, 200, "{\"token_type\":\"Bearer\",\"access_token\":\"" + access + "\",\"refresh_token\":\"" + next
                    + "\",\"expires_in\":3600,\"scope\":\"user:inference user:profile\"}");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp.resolve("gw"), Map.of(API, "127.0.0.1", SignInEndpoint.HOST, "127.0.0.1",
                OTHER, "127.0.0.1"));
        tokens = new TokenServer(gw.upstreamCa);
        tokens.liveRefresh.add("sk-ant-ort01-HOST-REFRESH-0");
        api = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        api.setHttpsConfigurator(new HttpsConfigurator(TestUpstream.serverTls(API, gw.upstreamCa)));
        api.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("authorization");
            apiAuth.add(String.valueOf(auth));
            apiKeys.add(String.valueOf(ex.getRequestHeaders().getFirst("x-api-key")));
            boolean live = auth != null && auth.startsWith("Bearer ") && tokens.liveAccess.contains(auth.substring(7));
            send(ex, live ? 200 : 401, live ? "{\"ok\":true}" : "{\"type\":\"error\",\"error\":{\"type\":"
                    + "\"authentication_error\",\"message\":\"invalid token\"}}");
        });
        api.start();
        folder = Files.createDirectories(temp.resolve("host/.claude"));
        signedIn("sk-ant-oat01-HOST-ACCESS-0", "sk-ant-ort01-HOST-REFRESH-0", Instant.now().minusSeconds(60));
    }

    @AfterEach
    void stop() {
        gw.close();
        tokens.close();
        api.stop(0);
    }

    private void signedIn(String access, String refresh, Instant expires) throws IOException {
        Path file = folder.resolve(SignInFile.NAME);
        Files.writeString(file, "{\"claudeAiOauth\":{\"accessToken\":\"" + access + "\",\"refreshToken\":\"" + refresh
                + "\",\"expiresAt\":" + expires.toEpochMilli() + ",\"scopes\":[\"user:inference\",\"user:profile\"],"
                + "\"subscriptionType\":\"max\"},\"mcpOAuth\":{\"kept\":true}}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Starts the gateway with the sign-in route to the fake API and an allowed other host. */
    private SignInSource startGateway() throws Exception {
        return startGateway(Optional.empty());
    }

    /** The same, chaining through {@code proxy} when one is given. */
    private SignInSource startGateway(Optional<String> proxy) throws Exception {
        SignInSource source = new SignInSource(folder, new dev.claudebottle.bundle.record.AuditLog(
                temp.resolve("sign-in-audit.jsonl")), "test-0001");
        GatewayPolicy.Route route = new GatewayPolicy.Route(new PolicyFile.Rule(new HostPattern(API),
                List.of(api.getAddress().getPort()), List.of(), List.of("/v1/messages"), true), "authorization",
                source.credential(), Optional.of(SignInFile.ACCESS_SENTINEL), false, true);
        gw.start(new GatewayPolicy(List.of(GatewayFixture.allow(OTHER, api.getAddress().getPort(), List.of(),
                List.of("/"), true)), List.of(route), dev.claudebottle.spi.manifest.DlpAction.BLOCK, List.of(), proxy,
                Optional.empty()));
        gw.server.refreshSignInsThrough(source, tokens.port());
        client = gw.client(true, false);
        return source;
    }

    private HttpResponse<String> messages() throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + API + ":" + api.getAddress().getPort()
                        + "/v1/messages")).header("authorization", "Bearer " + SignInFile.ACCESS_SENTINEL)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> messagesWithKey() throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + API + ":" + api.getAddress().getPort()
                        + "/v1/messages")).header("authorization", "Bearer " + SignInFile.ACCESS_SENTINEL)
                .header("x-api-key", "made-up").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> guestRefresh(String refreshToken) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://" + SignInEndpoint.HOST + "/v1/oauth/token"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refreshToken + "\",\"client_id\":\""
                                + SignInEndpoint.CLIENT_ID + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anExpiredSignInIsRefreshedBeforeTheFirstRequestAndWrittenBackForTheHost() throws Exception {
        try (SignInSource source = startGateway()) {
            HttpResponse<String> r = messages();

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(apiAuth).containsExactly("Bearer sk-ant-oat01-LIVE-ACCESS-1");
            assertThat(tokens.refreshes).hasValue(1);
            assertThat(tokens.reuses).hasValue(0);
            Path file = folder.resolve(SignInFile.NAME);
            JsonNode stored = JSON.readTree(file.toFile());
            assertThat(stored.at("/claudeAiOauth/refreshToken").asText()).as("the host keeps a refresh token that works")
                    .isEqualTo("sk-ant-ort01-LIVE-REFRESH-1").isIn(tokens.liveRefresh);
            assertThat(stored.at("/claudeAiOauth/subscriptionType").asText()).isEqualTo("max");
            assertThat(stored.at("/mcpOAuth/kept").asBoolean()).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            try (var left = Files.list(folder)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no lock or temporary file is left")
                        .containsExactly(SignInFile.NAME);
            }
        }
    }

    @Test
    void theGuestsRefreshIsAnsweredWithItsSentinelsAndNeverSentOn() throws Exception {
        try (SignInSource source = startGateway()) {
            assertThat(messages().statusCode()).isEqualTo(200);
            int refreshed = tokens.refreshes.get();

            HttpResponse<String> r = guestRefresh(SignInFile.REFRESH_SENTINEL);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(r.body());
            assertThat(answer.path("access_token").asText()).isEqualTo(SignInFile.ACCESS_SENTINEL);
            assertThat(answer.path("refresh_token").asText()).isEqualTo(SignInFile.REFRESH_SENTINEL);
            assertThat(answer.path("expires_in").asLong()).isGreaterThan(Duration.ofDays(3650).toSeconds());
            assertThat(answer.path("scope").asText()).contains("user:inference");
            assertThat(tokens.refreshes).as("a good token held: nothing refreshed for the guest").hasValue(refreshed);

            HttpResponse<String> other = guestRefresh("sk-ant-ort01-SOMETHING-THE-AGENT-MADE");
            assertThat(other.statusCode()).isEqualTo(400);
            assertThat(other.body()).contains("invalid_grant").doesNotContain("LIVE");
            assertThat(tokens.refreshes.get() + tokens.reuses.get()).as("never sent on").isEqualTo(refreshed);
            assertThat(String.join("\n", gw.auditLines())).doesNotContain("LIVE-").doesNotContain("HOST-");
        }
    }

    @Test
    void aRefusedAccessTokenIsRefreshedOnceAndTheNextRequestGoesWithTheNewOne() throws Exception {
        try (SignInSource source = startGateway()) {
            assertThat(messages().statusCode()).isEqualTo(200);
            tokens.liveAccess.clear();

            assertThat(messages().statusCode()).as("the revoked token's answer reaches the guest").isEqualTo(401);
            HttpResponse<String> refresh = guestRefresh(SignInFile.REFRESH_SENTINEL);
            assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
            HttpResponse<String> again = messages();

            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(apiAuth.get(apiAuth.size() - 1)).isEqualTo("Bearer sk-ant-oat01-LIVE-ACCESS-2");
            assertThat(tokens.reuses).hasValue(0);
        }
    }

    @Test
    void aRefreshedTokenOnItsWayToAnotherHostTripsTheWire() throws Exception {
        try (SignInSource source = startGateway()) {
            assertThat(messages().statusCode()).isEqualTo(200);

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + OTHER + ":"
                    + api.getAddress().getPort() + "/v1/messages?t=sk-ant-oat01-LIVE-ACCESS-1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> sentinel = client.send(HttpRequest.newBuilder(URI.create("https://" + OTHER + ":"
                    + api.getAddress().getPort() + "/x?r=" + SignInFile.REFRESH_SENTINEL)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(sentinel.statusCode()).isEqualTo(403);
            Await.until(Duration.ofSeconds(5), "the alert's line", () -> gw.auditLines().stream()
                    .anyMatch(l -> l.contains("\"tripwire\"")));
            assertThat(String.join("\n", gw.auditLines())).doesNotContain("LIVE-ACCESS");
        }
    }

    @Test
    void aSignInTheEndpointRefusesIsAOneLine401ThatSaysToSignInAgain() throws Exception {
        tokens.liveRefresh.clear();
        try (SignInSource source = startGateway()) {
            HttpResponse<String> r = messages();

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("authentication_error").contains("/login").doesNotContain("HOST-");
            assertThat(apiAuth).as("nothing reached the API").isEmpty();
            assertThat(tokens.reuses).as("the spent token was sent once").hasValue(1);
            assertThat(messages().statusCode()).isEqualTo(401);
            assertThat(tokens.reuses).as("and never again").hasValue(1);
            assertThat(Files.readString(folder.resolve(SignInFile.NAME))).as("the host is not signed out")
                    .contains("sk-ant-ort01-HOST-REFRESH-0");
        }
    }

    @Test
    void aRefreshWhoseAnswerIsLostNeverSendsItsRefreshTokenAgain() throws Exception {
        tokens.loseAnswers = true;
        try (SignInSource source = startGateway()) {
            HttpResponse<String> r = messages();

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("could not be refreshed").doesNotContain("HOST-").doesNotContain("LIVE-");
            tokens.loseAnswers = false;
            HttpResponse<String> again = messages();
            assertThat(again.statusCode()).isEqualTo(401);
            assertThat(tokens.refreshes).as("the endpoint rotated the pair once").hasValue(1);
            assertThat(tokens.reuses).as("the token whose answer was lost was not sent again").hasValue(0);
        }
    }

    @Test
    void aGuestThatMakesTheApiRefuseTheTokenAgainAndAgainCostsOneRefreshNotOneEach() throws Exception {
        try (SignInSource source = startGateway()) {
            assertThat(messages().statusCode()).isEqualTo(200);
            for (int i = 0; i < 5; i++) {
                tokens.liveAccess.clear();
                messages();
                guestRefresh(SignInFile.REFRESH_SENTINEL);
            }

            assertThat(tokens.refreshes).as("the first at start, one for the first refusal, none for the rest")
                    .hasValue(2);
            assertThat(messagesWithKey().statusCode()).isEqualTo(401);
            assertThat(apiKeys.get(apiKeys.size() - 1)).as("a key beside the sign-in is not sent").isEqualTo("null");
        }
    }

    @Test
    void aLargeRefreshBodyIsRefusedUnparsed() throws Exception {
        try (SignInSource source = startGateway()) {
            String large = "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + SignInFile.REFRESH_SENTINEL
                    + "\",\"pad\":[" + "{},".repeat(200_000) + "{}]}";
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + SignInEndpoint.HOST
                    + "/v1/oauth/token")).POST(HttpRequest.BodyPublishers.ofString(large)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("invalid_grant");
        }
    }

    @Test
    void theRefreshGoesThroughTheBottlesUpstreamProxy() throws Exception {
        GatewayFixture corp = new GatewayFixture(temp.resolve("corp"), Map.of(SignInEndpoint.HOST, "127.0.0.1",
                API, "127.0.0.1"));
        try {
            corp.start(policy(List.of(GatewayFixture.allow(SignInEndpoint.HOST, tokens.port()),
                    GatewayFixture.allow(API, api.getAddress().getPort())), List.of()));
            try (SignInSource source = startGateway(Optional.of("http://127.0.0.1:" + corp.address.getPort()))) {
                HttpResponse<String> r = messages();

                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(tokens.refreshes).hasValue(1);
                Await.until(Duration.ofSeconds(5), "the corporate proxy's line for the refresh", () -> corp.auditLines()
                        .stream().anyMatch(l -> l.contains("\"host\":\"" + SignInEndpoint.HOST + "\"")
                                && l.contains("\"tunnel\"")));
            }
        } finally {
            corp.close();
        }
    }
}
