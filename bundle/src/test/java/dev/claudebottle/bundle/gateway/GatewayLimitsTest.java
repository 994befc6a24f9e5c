package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.SecretSamples;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.testing.Await;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chaining through an upstream proxy, idle tunnels, DLP in warn mode, the connection bound. */
class GatewayLimitsTest {
    @TempDir
    Path temp;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private GatewayFixture fixture(String dir, Map<String, String> names) throws Exception {
        GatewayFixture gw = new GatewayFixture(temp.resolve(dir), names);
        open.add(gw);
        return gw;
    }

    private TestUpstream https(GatewayFixture gw, String name) throws Exception {
        TestUpstream up = TestUpstream.https(name, gw.upstreamCa);
        open.add(up);
        return up;
    }

    @Test
    void chainsThroughTheUpstreamProxy() throws Exception {
        GatewayFixture corp = fixture("corp", Map.of("api.upstream.test", "127.0.0.1"));
        TestUpstream up = https(corp, "api.upstream.test");
        corp.start(GatewayFixture.policy(List.of(allow("api.upstream.test", up.port())), List.of()));
        GatewayFixture bottle = fixture("bottle", Map.of());
        bottle.start(new GatewayPolicy(List.of(allow("api.upstream.test", up.port())), List.of(), DlpAction.BLOCK,
                List.of(), Optional.of("http://127.0.0.1:" + corp.address.getPort()), Optional.empty()));
        // the bottle's gateway cannot resolve the name itself: only the corporate proxy can.
        HttpResponse<String> r = TestClients.trusting(bottle, corp.upstreamCa).send(HttpRequest.newBuilder(
                URI.create("https://api.upstream.test:" + up.port() + "/via-proxy")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(up.seen).singleElement().satisfies(s -> assertThat(s.path()).isEqualTo("/via-proxy"));
        bottle.close();
        Await.until(Duration.ofSeconds(5), "the corporate proxy's line", () -> !corp.auditLines().isEmpty());
        assertThat(String.join("\n", corp.auditLines())).contains("\"kind\":\"tunnel\"")
                .contains("api.upstream.test");
    }

    @Test
    void idleTunnelsAreClosed() throws Exception {
        GatewayFixture gw = fixture("idle", Map.of("api.upstream.test", "127.0.0.1"));
        TestUpstream up = https(gw, "api.upstream.test");
        gw.start(GatewayFixture.policy(List.of(allow("api.upstream.test", up.port())), List.of()),
                new GatewayConfig("127.0.0.1", 0, "test-0001", 100, 32 * 1024, 1024 * 1024, Duration.ofSeconds(1),
                        Duration.ofHours(1), Duration.ofSeconds(5)));
        try (Socket s = new Socket(gw.address.getAddress(), gw.address.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("CONNECT api.upstream.test:" + up.port() + " HTTP/1.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] head = new byte[39];
            int n = in.readNBytes(head, 0, head.length);
            assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            long started = System.nanoTime();
            in.readAllBytes();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void dlpInWarnModeLetsTheRequestThroughAndLogsIt() throws Exception {
        GatewayFixture gw = fixture("warn", Map.of("api.upstream.test", "127.0.0.1"));
        TestUpstream up = https(gw, "api.upstream.test");
        gw.start(new GatewayPolicy(List.of(allow("api.upstream.test", up.port(), List.of(), List.of("/"), false)),
                List.of(), DlpAction.WARN, List.of(), Optional.empty(), Optional.empty()));
        String sample = SecretSamples.BY_PATTERN.get("github-token");

        var r = gw.client(true, false).send(HttpRequest.newBuilder(URI.create("https://api.upstream.test:"
                + up.port() + "/w")).header("x-data", sample).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(up.count()).isEqualTo(1);
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"warn\"")
                .contains("DLP pattern github-token").doesNotContain(sample);
    }

    @Test
    void connectionsBeyondTheLimitGet503() throws Exception {
        GatewayFixture gw = fixture("limit", Map.of());
        gw.start(GatewayFixture.policy(List.of(), List.of()), new GatewayConfig("127.0.0.1", 0, "test-0001", 2,
                32 * 1024, 1024 * 1024, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(5)));
        try (Socket a = new Socket(gw.address.getAddress(), gw.address.getPort());
             Socket b = new Socket(gw.address.getAddress(), gw.address.getPort())) {
            Await.until(Duration.ofSeconds(5), "two open connections", () -> gw.server.openConnections() >= 2);
            assertThat(gw.raw("CONNECT x.test:443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 503");
            assertThat(a.isConnected() && b.isConnected()).isTrue();
        }
        Await.until(Duration.ofSeconds(5), "no open connection", () -> gw.server.openConnections() == 0);
        assertThat(gw.raw("CONNECT x.test:443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
    }
}
