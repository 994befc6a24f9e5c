package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_TOKEN;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.bearerRoute;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.Encodings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A route's placeholder or real value dressed up in an encoding, on its way to a host that is not
 * the route's: in the URL, a header or the body of an intercepted request, and in a CONNECT's
 * headers, it trips the wire as it does undressed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTripwireTest {
    private static final String API = "api.upstream.test";
    private static final String OTHER = "other.upstream.test";
    private static final String LOGIN = "login.upstream.test";
    GatewayFixture gw;
    TestUpstream other;
    HttpClient client;
    String base;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1", OTHER, "127.0.0.1"));
        other = TestUpstream.https(OTHER, gw.upstreamCa);
        gw.start(policy(List.of(allow(OTHER, other.port(), List.of(), List.of("/"), false)),
                List.of(route(API, 443, "x-api-key"), bearerRoute(LOGIN, 443))));
        client = gw.client(true, false);
        base = "https://" + OTHER + ":" + other.port();
    }

    @AfterAll
    void stop() {
        gw.close();
        other.close();
    }

    Stream<Arguments> cases() {
        return Encodings.ALL.entrySet().stream().flatMap(e -> Stream.of("url", "header", "body").flatMap(where -> Stream.of(
                Arguments.of("placeholder", e.getKey(), where, e.getValue().apply(PLACEHOLDER)),
                Arguments.of("credential", e.getKey(), where, e.getValue().apply(REAL_KEY)))));
    }

    @ParameterizedTest(name = "the {0}, {1}, in the {2}")
    @MethodSource("cases")
    void anEncodedValueTripsTheWireAndTheUpstreamNeverSeesIt(String which, String encoding, String where,
                                                              String hidden) throws Exception {
        int before = other.count();
        HttpRequest.Builder b = switch (where) {
            case "url" -> HttpRequest.newBuilder(URI.create(base + "/collect?d=" + hidden));
            case "header" -> HttpRequest.newBuilder(URI.create(base + "/h")).header("x-data", hidden);
            default -> HttpRequest.newBuilder(URI.create(base + "/b")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"note\": \"" + hidden + "\"}"));
        };
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("(rule: tripwire)").doesNotContain(REAL_KEY);
        assertThat(other.count()).isEqualTo(before);
        List<String> audit = gw.auditLines();
        assertThat(audit.get(audit.size() - 1)).contains("\"decision\":\"alert\"").contains("\"rule\":\"tripwire\"");
        assertThat(String.join("\n", audit)).doesNotContain(REAL_KEY).doesNotContain(Encodings.base64(REAL_KEY));
    }

    @Test
    void theCredentialInAPathSegmentNeverReachesTheAuditLog() throws Exception {
        for (String segment : List.of(REAL_KEY, Encodings.base64(REAL_KEY).replace('/', '_'))) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/collect/" + segment)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"").doesNotContain(segment);
        }
    }

    @Test
    void theBareTokenOfABearerRouteTripsTheWireAndTheUpstreamNeverSeesIt() throws Exception {
        int before = other.count();
        List<HttpRequest> leaks = List.of(
                HttpRequest.newBuilder(URI.create(base + "/h")).header("x-api-key", REAL_TOKEN).build(),
                HttpRequest.newBuilder(URI.create(base + "/b")).POST(HttpRequest.BodyPublishers.ofString(
                        "CLAUDE_CODE_OAUTH_TOKEN=" + REAL_TOKEN)).build(),
                HttpRequest.newBuilder(URI.create(base + "/collect?d=" + Encodings.base64(REAL_TOKEN))).build());

        for (HttpRequest leak : leaks) {
            HttpResponse<String> r = client.send(leak, HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(leak.uri().getPath()).isEqualTo(403);
            assertThat(r.body()).contains("(rule: tripwire)").contains("the " + LOGIN + " credential")
                    .doesNotContain(REAL_TOKEN);
        }
        assertThat(other.count()).isEqualTo(before);
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(REAL_TOKEN)
                .doesNotContain(Encodings.base64(REAL_TOKEN));
    }

    @Test
    void anEncodedPlaceholderInAConnectsHeadersTripsTheWire() throws Exception {
        String answer = gw.raw("CONNECT " + OTHER + ":" + other.port() + " HTTP/1.1\r\nHost: " + OTHER + "\r\n"
                + "Proxy-Authorization: Basic " + Encodings.base64("agent:" + PLACEHOLDER) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403").contains("(rule: tripwire)");
        List<String> audit = gw.auditLines();
        assertThat(audit.get(audit.size() - 1)).contains("\"kind\":\"connect\"").contains("\"decision\":\"alert\"");
    }

    @Test
    void ordinaryRequestsCarryingBase64AndHexPass() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(16).nextBytes(noise);
        int before = other.count();

        var image = client.send(HttpRequest.newBuilder(URI.create(base + "/upload")).header("x-checksum",
                java.util.HexFormat.of().formatHex(noise, 0, 32)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"image\": \"" + Base64.getEncoder().encodeToString(noise) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        var query = client.send(HttpRequest.newBuilder(URI.create(base + "/q?cursor="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(noise, 48)))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(other.count()).isEqualTo(before + 2);
    }
}
