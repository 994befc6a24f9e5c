package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSockets through the gateway, between a real client and a real server: the session opens on
 * an allowed host, plain or intercepted, frames flow both ways, and the guest's messages meet the
 * tripwire and DLP as request bodies do.
 */
class GatewayWebSocketTest {
    private static final String HOST = "ws.upstream.test";
    private static final String API = "wsapi.upstream.test";
    @TempDir
    Path temp;
    GatewayFixture gw;
    WebSocketEcho server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    private void start(boolean tls) throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1", API, "127.0.0.1"));
        server = new WebSocketEcho(tls ? SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(HOST),
                gw.upstreamCa.ca()).build() : null);
        gw.start(policy(List.of(tls ? allow(HOST, server.port(), List.of("GET"), List.of(), false)
                : allow(HOST, server.port())), List.of()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSessionOpensAndFramesFlowBothWays(boolean tls) throws Exception {
        start(tls);
        try (WebSocketGuest guest = WebSocketGuest.open(gw, HOST, server.port(), tls)) {
            String greeting = guest.next(10);
            guest.send("first");
            String first = guest.next(10);
            guest.send("second");
            String second = guest.next(10);

            assertThat(greeting).isEqualTo("welcome");
            assertThat(first).isEqualTo("echo: first");
            assertThat(second).isEqualTo("echo: second");
            assertThat(server.received).containsExactly("first", "second");
            // The extension the client offered never reached the upstream: its frames stay scannable.
            assertThat(server.handshakes.get(0)).doesNotContainKey("sec-websocket-extensions");
        }
        assertThat(String.join("\n", gw.auditLines())).contains("websocket opened");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMessageCarryingASecretEndsTheSessionBeforeTheUpstreamSeesIt(boolean tls) throws Exception {
        start(tls);
        try (WebSocketGuest guest = WebSocketGuest.open(gw, HOST, server.port(), tls)) {
            guest.next(10);
            guest.send("aws key AKIAABCDEFGHIJKLMNOP here");

            assertThat(guest.next(10)).isEqualTo("closed 1008");
        }
        assertThat(server.received).isEmpty();
        assertThat(String.join("\n", gw.auditLines())).contains("\"kind\":\"websocket\"").contains("dlp")
                .doesNotContain("AKIAABCDEFGHIJKLMNOP");
    }

    @Test
    void aSecretSplitAcrossContinuationFramesIsStillCaught() throws Exception {
        start(true);
        try (WebSocketGuest guest = WebSocketGuest.open(gw, HOST, server.port(), true)) {
            guest.next(10);
            guest.sendSplit("aws key AKIAABCDEF", "GHIJKLMNOP here");

            assertThat(guest.next(10)).isEqualTo("closed 1008");
        }
        assertThat(server.received).isEmpty();
    }

    @Test
    void thePlaceholderInAMessageToAnotherHostTripsTheWire() throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1", API, "127.0.0.1"));
        server = new WebSocketEcho(SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(HOST),
                gw.upstreamCa.ca()).build());
        gw.start(policy(List.of(allow(HOST, server.port(), List.of("GET"), List.of(), false)),
                List.of(route(API, 443, "x-api-key"))));
        try (WebSocketGuest guest = WebSocketGuest.open(gw, HOST, server.port(), true)) {
            guest.next(10);
            guest.send("key=" + PLACEHOLDER);

            assertThat(guest.next(10)).isEqualTo("closed 1008");
        }
        assertThat(server.received).isEmpty();
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"").contains("tripwire");
    }

    @Test
    void aRouteHostsHandshakeCarriesTheRealCredential() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        server = new WebSocketEcho(SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(API),
                gw.upstreamCa.ca()).build());
        gw.start(policy(List.of(), List.of(route(API, server.port(), "x-api-key"))));
        try (WebSocketGuest guest = WebSocketGuest.open(gw, API, server.port(), true,
                new DefaultHttpHeaders().set("x-api-key", PLACEHOLDER))) {
            guest.send("hello");

            assertThat(guest.next(10)).isEqualTo("welcome");
            assertThat(guest.next(10)).isEqualTo("echo: hello");
        }
        assertThat(server.handshakes.get(0).get("x-api-key")).isEqualTo(REAL_KEY);
    }
}
