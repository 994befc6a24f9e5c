package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.Encodings;
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
 * an allowed host, plain or intercepted, frames flow both ways, the guest's messages meet the
 * tripwire and DLP as request bodies do, and a route's upstream that sends the injected credential
 * back is cut off as a response that carries it is.
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"base64", "base64 url-safe without padding", "base64 behind characters that shift the run",
            "percent-encoded twice", "hex"})
    void anEncodedPlaceholderInAMessageToAnotherHostTripsTheWire(String encoding) throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1", API, "127.0.0.1"));
        server = new WebSocketEcho(SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(HOST),
                gw.upstreamCa.ca()).build());
        gw.start(policy(List.of(allow(HOST, server.port(), List.of("GET"), List.of(), false)),
                List.of(route(API, 443, "x-api-key"))));
        String hidden = Encodings.ALL.get(encoding).apply(PLACEHOLDER);
        try (WebSocketGuest text = WebSocketGuest.open(gw, HOST, server.port(), true);
             WebSocketGuest binary = WebSocketGuest.open(gw, HOST, server.port(), true);
             WebSocketGuest split = WebSocketGuest.open(gw, HOST, server.port(), true)) {
            text.next(10);
            binary.next(10);
            split.next(10);
            text.send("key=" + hidden);
            binary.sendBinary(("key=" + hidden).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            split.sendSplit("key=" + hidden.substring(0, 7), hidden.substring(7));

            assertThat(text.next(10)).isEqualTo("closed 1008");
            assertThat(binary.next(10)).isEqualTo("closed 1008");
            assertThat(split.next(10)).isEqualTo("closed 1008");
        }
        assertThat(server.received).isEmpty();
        assertThat(gw.auditLines()).filteredOn(l -> l.contains("\"decision\":\"alert\"") && l.contains("tripwire"))
                .hasSize(3);
    }

    @Test
    void aRefusalNamingLongHostsStillClosesTheSessionWith1008() throws Exception {
        String longHost = "websocket-upstream-with-a-long-name.upstream.test";
        String longApi = "an-api-whose-name-is-long-as-well.upstream.test";
        gw = new GatewayFixture(temp, Map.of(longHost, "127.0.0.1"));
        server = new WebSocketEcho(SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(longHost),
                gw.upstreamCa.ca()).build());
        gw.start(policy(List.of(allow(longHost, server.port(), List.of("GET"), List.of(), false)),
                List.of(route(longApi, 443, "x-api-key"))));
        try (WebSocketGuest guest = WebSocketGuest.open(gw, longHost, server.port(), true)) {
            guest.next(10);
            guest.send("key=" + PLACEHOLDER);

            // a close frame has room for 125 bytes: a longer one is a protocol error to the guest
            assertThat(guest.next(10)).isEqualTo("closed 1008");
        }
        assertThat(server.received).isEmpty();
    }

    /** A route's upstream over TLS that sends back what the guest asks it to. */
    private WebSocketGuest routeSession() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        server = new WebSocketEcho(SslContextBuilder.forServer(gw.upstreamCa.leafKey(), gw.upstreamCa.mint(API),
                gw.upstreamCa.ca()).build());
        gw.start(policy(List.of(), List.of(route(API, server.port(), "x-api-key"))));
        WebSocketGuest guest = WebSocketGuest.open(gw, API, server.port(), true,
                new DefaultHttpHeaders().set("x-api-key", PLACEHOLDER));
        assertThat(guest.next(10)).isEqualTo("welcome");
        return guest;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TEXT", "BINARY", "SPLIT_TEXT", "SPLIT_BINARY", "PING", "CLOSE", "BASE64"})
    void theCredentialFromARoutesUpstreamNeverReachesTheGuestAndTheSessionIsCut(String how) throws Exception {
        String ended;
        String wire;
        try (WebSocketGuest guest = routeSession()) {
            guest.send("reflect " + how);
            ended = guest.next(10);
            wire = guest.wire();
        }

        assertThat(ended).isEqualTo("closed 1008");
        assertThat(wire).doesNotContain(REAL_KEY.substring(0, 10)).doesNotContain(REAL_KEY.substring(10, 20))
                .doesNotContain(Encodings.base64("x-api-key: " + REAL_KEY).substring(8, 40));
        assertThat(gw.auditLines()).filteredOn(l -> l.contains("\"decision\":\"alert\"")).singleElement().asString()
                .contains("\"kind\":\"websocket\"").contains("\"rule\":\"response\"").doesNotContain(REAL_KEY);
    }

    @Test
    void theCredentialSplitAcrossTwoMessagesNeverReachesTheGuestWhole() throws Exception {
        String first;
        String ended;
        String wire;
        try (WebSocketGuest guest = routeSession()) {
            guest.send("reflect ACROSS_MESSAGES");
            first = guest.next(10);
            ended = guest.next(10);
            wire = guest.wire();
        }

        // A message is passed on whole when it ends: only what follows it can still be held back.
        assertThat(first).isEqualTo("key: " + REAL_KEY.substring(0, 10));
        assertThat(ended).isEqualTo("closed 1008");
        assertThat(wire).doesNotContain(REAL_KEY.substring(10));
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"");
    }

    @Test
    void aMaskedFrameFromTheUpstreamIsRefusedUnread() throws Exception {
        String ended;
        String wire;
        try (WebSocketGuest guest = routeSession()) {
            guest.send("reflect MASKED");
            ended = guest.next(10);
            wire = guest.wire();
        }

        assertThat(ended).isIn("closed 1002", "disconnected");
        assertThat(wire).doesNotContain("key: ");
    }

    @Test
    void messagesThatOnlyLookLikeTheCredentialsStartArriveWholeAndInOrder() throws Exception {
        try (WebSocketGuest guest = routeSession()) {
            guest.send("reflect ALMOST");
            guest.send("after");

            assertThat(guest.next(10)).isEqualTo("one " + REAL_KEY.substring(0, 6));
            assertThat(guest.next(10)).isEqualTo("two " + REAL_KEY.substring(0, 12) + "... three");
            assertThat(guest.next(10)).isEqualTo("binary: four " + REAL_KEY.substring(0, 8));
            assertThat(guest.next(10)).isEqualTo("echo: after");
        }
        assertThat(String.join("\n", gw.auditLines())).doesNotContain("\"decision\":\"alert\"");
    }
}
