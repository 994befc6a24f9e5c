package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static dev.claudebottle.bundle.gateway.ScriptedUpstream.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.contract.PolicyFile;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest that shapes its request to make the gateway decide on one thing and send another: a Host
 * or absolute-form target that differs from what was checked, ambiguous body framing, a method
 * that echoes the request back, connection options naming other headers.
 */
class GatewayRequestShapeTest {
    private static final String HOST = "shape.upstream.test";
    private static final String API = "api.upstream.test";
    @TempDir
    Path temp;
    GatewayFixture gw;
    ScriptedUpstream upstream;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static boolean answer(ScriptedUpstream.Request request, OutputStream out) throws Exception {
        write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        return true;
    }

    private void plain() throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1", "other.upstream.test", "127.0.0.1"));
        upstream = ScriptedUpstream.http(GatewayRequestShapeTest::answer);
        gw.start(policy(List.of(allow(HOST, upstream.port())), List.of()));
    }

    private void intercepted() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1", "evil.upstream.test", "127.0.0.1"));
        upstream = ScriptedUpstream.https(API, gw.upstreamCa, GatewayRequestShapeTest::answer);
        gw.start(policy(List.of(), List.of(route(API, upstream.port(), "x-api-key"))));
    }

    private String audit() throws Exception {
        return String.join("\n", gw.auditLines());
    }

    @Test
    void aHostHeaderThatDiffersFromThePlainUrlIsRefused() throws Exception {
        plain();
        try (GuestSocket guest = GuestSocket.plain(gw, HOST, upstream.port())) {
            guest.send("GET", "/", "Host: other.upstream.test\r\n", "");
            GuestSocket.Response r = guest.read("GET");

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("Host");
        }
        assertThat(upstream.seen).isEmpty();
        assertThat(audit()).contains("\"status\":400").contains("Host");
    }

    @Test
    void aSecondHostHeaderIsRefused() throws Exception {
        plain();
        try (GuestSocket guest = GuestSocket.plain(gw, HOST, upstream.port())) {
            guest.send("GET", "/", "Host: " + HOST + ":" + upstream.port() + "\r\nHost: other.upstream.test\r\n", "");

            assertThat(guest.read("GET").status()).isEqualTo(400);
        }
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void aMatchingHostHeaderPassesWithOrWithoutTheDefaultPort() throws Exception {
        plain();
        try (GuestSocket guest = GuestSocket.plain(gw, HOST, upstream.port())) {
            guest.send("GET", "/a", "Host: " + HOST.toUpperCase() + ":" + upstream.port() + "\r\n", "");
            GuestSocket.Response r = guest.read("GET");

            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(upstream.seen).hasSize(1);
        assertThat(upstream.seen.get(0).requestLine()).isEqualTo("GET /a HTTP/1.1");
    }

    @Test
    void insideAnInterceptedTunnelAnotherHostNeverGetsTheCredential() throws Exception {
        intercepted();
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", "/v1/x", "Host: evil.upstream.test\r\nx-api-key: bottle-placeholder\r\n", "");

            assertThat(guest.read("GET").status()).isEqualTo(400);
        }
        assertThat(upstream.seen).isEmpty();
        assertThat(audit()).contains("\"host\":\"" + API + "\"").contains("\"status\":400");
    }

    @Test
    void anAbsoluteTargetInsideATunnelMustNameTheTunnelsAuthorityAndGoesUpstreamInOriginForm() throws Exception {
        intercepted();
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", "https://evil.upstream.test/v1/x", "Host: " + API + ":" + upstream.port() + "\r\n", "");
            GuestSocket.Response other = guest.read("GET");

            assertThat(other.status()).isEqualTo(400);
        }
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", "https://" + API + ":" + upstream.port() + "/v1/y",
                    "Host: " + API + ":" + upstream.port() + "\r\n", "");
            GuestSocket.Response own = guest.read("GET");

            assertThat(own.status()).isEqualTo(200);
        }
        assertThat(upstream.seen).hasSize(1);
        assertThat(upstream.seen.get(0).requestLine()).isEqualTo("GET /v1/y HTTP/1.1");
        assertThat(upstream.seen.get(0).header("x-api-key")).isEqualTo(REAL_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: identity\r\nContent-Length: 5",
            "Transfer-Encoding: xchunked\r\nContent-Length: 5",
            "Transfer-Encoding: chunked, identity",
            "Transfer-Encoding: chunked, gzip",
            "Transfer-Encoding: gzip, chunked",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding: chunked\r\nContent-Length: 5"})
    void anyFramingButOneChunkedOrOneLengthIsRefusedAndTheConnectionClosed(String framing) throws Exception {
        plain();
        // What follows the head would be a second request to a lenient reader.
        String smuggled = "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
        String request = "POST http://" + HOST + ":" + upstream.port() + "/ HTTP/1.1\r\nHost: " + HOST + ":"
                + upstream.port() + "\r\n" + framing + "\r\n\r\n" + smuggled;
        String answer = gw.raw(request);

        assertThat(answer).startsWith("HTTP/1.1 400").contains("Transfer-Encoding");
        assertThat(answer.indexOf("HTTP/1.1")).isEqualTo(answer.lastIndexOf("HTTP/1.1"));
        assertThat(upstream.seen).isEmpty();
        assertThat(audit()).contains("\"status\":400");
    }

    @Test
    void aChunkedBodyGoesUpstreamWithExactlyOneFraming() throws Exception {
        plain();
        String request = "POST http://" + HOST + ":" + upstream.port() + "/up HTTP/1.1\r\nHost: " + HOST + ":"
                + upstream.port() + "\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        try (GuestSocket guest = GuestSocket.plain(gw, HOST, upstream.port())) {
            guest.raw(request);
            assertThat(guest.read("POST").status()).isEqualTo(200);
        }
        ScriptedUpstream.Request seen = upstream.seen.get(0);
        assertThat(seen.header("transfer-encoding")).isNull();
        assertThat(seen.header("content-length")).isEqualTo("5");
        assertThat(new String(seen.body())).isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "TRACK"})
    void methodsThatEchoTheRequestAreRefused(String method) throws Exception {
        intercepted();
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send(method, "/v1/x", "Host: " + API + ":" + upstream.port() + "\r\n", "");

            assertThat(guest.read(method).status()).isEqualTo(405);
        }
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void headersTheConnectionHeaderNamesAreNotForwarded() throws Exception {
        plain();
        try (GuestSocket guest = GuestSocket.plain(gw, HOST, upstream.port())) {
            guest.send("GET", "/", "Host: " + HOST + ":" + upstream.port() + "\r\nConnection: keep-alive, X-Hop\r\n"
                    + "X-Hop: dropped\r\nKeep-Alive: timeout=5\r\nX-Kept: kept\r\n", "");
            assertThat(guest.read("GET").status()).isEqualTo(200);
        }
        ScriptedUpstream.Request seen = upstream.seen.get(0);
        assertThat(seen.header("x-hop")).isNull();
        assertThat(seen.header("keep-alive")).isNull();
        assertThat(seen.header("connection")).isNull();
        assertThat(seen.header("x-kept")).isEqualTo("kept");
    }

    @Test
    void aRoutesCredentialNeverGoesOverPlainHttp() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        upstream = ScriptedUpstream.http(GatewayRequestShapeTest::answer);
        gw.start(policy(List.of(), List.of(route(API, upstream.port(), "x-api-key"))));
        try (GuestSocket guest = GuestSocket.plain(gw, API, upstream.port())) {
            guest.send("GET", "/v1/x", "Host: " + API + ":" + upstream.port() + "\r\nx-api-key: bottle-placeholder\r\n",
                    "");
            GuestSocket.Response r = guest.read("GET");

            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).contains("only over TLS");
        }
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void aRouteThatOptsIntoPlainHttpGetsItsCredentialThere() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        upstream = ScriptedUpstream.http(GatewayRequestShapeTest::answer);
        gw.start(policy(List.of(), List.of(GatewayFixture.plainRoute(API, upstream.port(), "x-api-key"))));
        try (GuestSocket guest = GuestSocket.plain(gw, API, upstream.port())) {
            guest.send("GET", "/v1/x", "Host: " + API + ":" + upstream.port() + "\r\n", "");

            assertThat(guest.read("GET").status()).isEqualTo(200);
        }
        assertThat(upstream.seen.get(0).header("x-api-key")).isEqualTo(REAL_KEY);
    }

    private void pathRules() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        upstream = ScriptedUpstream.https(API, gw.upstreamCa, GatewayRequestShapeTest::answer);
        gw.start(policy(List.of(allow(API, upstream.port(), List.of(), List.of("/allowed/"), false)), List.of()));
    }

    private int status(String path) throws Exception {
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", path, "Host: " + API + ":" + upstream.port() + "\r\n", "");
            return guest.read("GET").status();
        }
    }

    @Test
    void pathRulesSeeTheNormalisedPathAndSoDoesTheUpstream() throws Exception {
        pathRules();

        assertThat(status("/allowed/../secret")).isEqualTo(403);
        assertThat(status("/allowed/%2e%2E/secret")).isEqualTo(403);
        assertThat(status("/allowed/./x/%7Euser")).isEqualTo(200);
        assertThat(upstream.seen).hasSize(1);
        assertThat(upstream.seen.get(0).requestLine()).isEqualTo("GET /allowed/x/~user HTTP/1.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/allowed/..%2fsecret", "/allowed/%2F..%2Fsecret", "/allowed\\..\\secret",
            "/allowed/%5c..%5csecret", "/allowed/%252e%252e/secret"})
    void pathsWithMoreThanOneReadingAreRefusedWherePathsDecide(String path) throws Exception {
        pathRules();

        assertThat(status(path)).isEqualTo(400);
        assertThat(upstream.seen).isEmpty();
    }

    @Test
    void aRoutesScopeSeesTheNormalisedPathOnSegmentBoundaries() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        upstream = ScriptedUpstream.https(API, gw.upstreamCa, GatewayRequestShapeTest::answer);
        PolicyFile.Rule v1 = new PolicyFile.Rule(new dev.claudebottle.spi.manifest.HostPattern(API),
                List.of(upstream.port()), List.of(), List.of("/v1"), true);
        gw.start(policy(List.of(), List.of(new GatewayPolicy.Route(v1, "x-api-key",
                dev.claudebottle.spi.Secret.of(REAL_KEY), java.util.Optional.of("bottle-placeholder"), false))));

        for (String path : List.of("/v1/../admin", "/v10/x", "/v1/%2e%2e/admin", "/v1/messages")) {
            assertThat(status(path)).isEqualTo(200);
        }

        assertThat(upstream.seen).extracting(r -> r.requestLine() + " " + r.header("x-api-key")).containsExactly(
                "GET /admin HTTP/1.1 null", "GET /v10/x HTTP/1.1 null", "GET /admin HTTP/1.1 null",
                "GET /v1/messages HTTP/1.1 " + REAL_KEY);
    }
}
