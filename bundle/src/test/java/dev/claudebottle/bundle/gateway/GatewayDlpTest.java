package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.SecretSamples;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in DLP pattern blocks in the URL, a header and the body of an intercepted request. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDlpTest {
    GatewayFixture gw;
    TestUpstream up;
    HttpClient client;
    String base;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        gw = new GatewayFixture(temp, Map.of("docs.upstream.test", "127.0.0.1"));
        up = TestUpstream.https("docs.upstream.test", gw.upstreamCa);
        gw.start(policy(List.of(allow("docs.upstream.test", up.port(), List.of(), List.of("/"), false)), List.of()));
        client = gw.client(true, false);
        base = "https://docs.upstream.test:" + up.port();
    }

    @AfterAll
    void stop() {
        gw.close();
        up.close();
    }

    Stream<Arguments> cases() {
        return SecretSamples.BY_PATTERN.entrySet().stream().flatMap(e -> Stream.of("url", "header", "body")
                .map(where -> Arguments.of(e.getKey(), where, e.getValue())));
    }

    @ParameterizedTest(name = "{0} in the {1}")
    @MethodSource("cases")
    void blocksAndTheUpstreamNeverSeesIt(String pattern, String where, String sample) throws Exception {
        int before = up.count();
        HttpRequest.Builder b = switch (where) {
            case "url" -> HttpRequest.newBuilder(URI.create(base + "/search?q="
                    + URLEncoder.encode(sample, StandardCharsets.UTF_8)));
            case "header" -> HttpRequest.newBuilder(URI.create(base + "/h")).header("x-data", sample);
            default -> HttpRequest.newBuilder(URI.create(base + "/b")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"note\": \"" + sample + "\"}"));
        };
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("DLP pattern " + pattern).doesNotContain(sample);
        assertThat(up.count()).isEqualTo(before);
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(sample);
    }

    @ParameterizedTest(name = "clean request {0}")
    @MethodSource("clean")
    void cleanRequestsPass(String path) throws Exception {
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    Stream<String> clean() {
        return Stream.of("/", "/repos/acme/app?page=2", "/sk-short");
    }
}
