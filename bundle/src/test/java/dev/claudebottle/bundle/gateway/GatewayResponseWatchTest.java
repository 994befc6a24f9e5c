package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_TOKEN;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static dev.claudebottle.bundle.gateway.ScriptedUpstream.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.trust.Encodings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's host that hands the injected credential back (a debug endpoint echoing request
 * headers, a reflected error): the guest never receives the value, whole or in parts, and the
 * gateway logs an alert. Streams that do not carry it flow as they come.
 */
class GatewayResponseWatchTest {
    private static final String API = "api.upstream.test";
    @TempDir
    Path temp;
    GatewayFixture gw;
    ScriptedUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp, Map.of(API, "127.0.0.1"));
        upstream = ScriptedUpstream.https(API, gw.upstreamCa, GatewayResponseWatchTest::answer);
        gw.start(GatewayFixture.policy(List.of(), List.of(route(API, upstream.port(), "x-api-key"))));
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstream.close();
    }

    static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

    private static boolean answer(ScriptedUpstream.Request request, OutputStream out) throws Exception {
        String key = request.header("x-api-key");
        String path = request.requestLine().split(" ")[1];
        switch (path) {
            case "/echo-body" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + (key.length() + 5) + "\r\n\r\nkey: "
                    + key);
            case "/echo-base64" -> {
                String seen = "{\"headers\": \"" + Encodings.base64("x-api-key: " + key) + "\"}";
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + seen.length() + "\r\n\r\n" + seen);
            }
            case "/echo-hex-header" -> write(out, "HTTP/1.1 200 OK\r\nX-Seen-Key: " + java.util.HexFormat.of().formatHex(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\r\nContent-Length: 2\r\n\r\nok");
            case "/echo-gzip" -> {
                // a compressed answer, whatever the request accepted, holding the key
                var packed = new java.io.ByteArrayOutputStream();
                try (var gz = new java.util.zip.GZIPOutputStream(packed)) {
                    gz.write(("accepted " + request.header("accept-encoding") + ", key: " + key)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + packed.size()
                        + "\r\n\r\n");
                out.write(packed.toByteArray());
                out.flush();
            }
            case "/echo-gzip-second-header" -> {
                var packed = new java.io.ByteArrayOutputStream();
                try (var gz = new java.util.zip.GZIPOutputStream(packed)) {
                    gz.write(("key: " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                write(out, "HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Encoding: gzip\r\n"
                        + "Content-Length: " + packed.size() + "\r\n\r\n");
                out.write(packed.toByteArray());
                out.flush();
            }
            case "/accepted" -> {
                String seen = "accepted " + request.header("accept-encoding");
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + seen.length() + "\r\n\r\n" + seen);
            }
            case "/echo-bare-token" -> {
                // a token endpoint's answer, say: the token without the scheme the request sent it in
                String seen = "{\"accessToken\":\"" + request.header("authorization").substring("Bearer ".length())
                        + "\"}";
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + seen.length() + "\r\n\r\n" + seen);
            }
            case "/echo-header" -> write(out, "HTTP/1.1 200 OK\r\nX-Seen-Key: " + key + "\r\nContent-Length: 2\r\n\r\nok");
            case "/echo-split" -> {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                String first = "data: ok\n\nkey: " + key.substring(0, 10);
                chunk(out, first);
                Thread.sleep(200);
                chunk(out, key.substring(10) + "\n");
                write(out, "0\r\n\r\n");
            }
            case "/held" -> {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                chunk(out, "event: message_start\ndata: {}\n\n");
                RELEASE.await(20, java.util.concurrent.TimeUnit.SECONDS);
                chunk(out, "event: message_stop\ndata: {}\n\n");
                write(out, "0\r\n\r\n");
            }
            case "/echo-trailer" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n"
                    + "X-Seen-Key: " + key + "\r\n\r\n");
            default -> {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                // Ends with the value's first letters, but the value never comes.
                chunk(out, "data: first\n\n" + REAL_KEY.substring(0, 6));
                Thread.sleep(200);
                chunk(out, "...\n\n");
                write(out, "0\r\n\r\n");
            }
        }
        return true;
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        write(out, Integer.toHexString(text.length()) + "\r\n" + text + "\r\n");
    }

    private String fetch(String path) throws Exception {
        return fetch(path, "x-api-key: bottle-placeholder");
    }

    private String fetch(String path, String credentialHeader) throws Exception {
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", path, "Host: " + API + ":" + upstream.port() + "\r\n" + credentialHeader + "\r\n", "");
            StringBuilder seen = new StringBuilder();
            try {
                GuestSocket.Response r = guest.read("GET");
                seen.append(r.status()).append(' ').append(r.headers()).append(' ').append(r.body())
                        .append(' ').append(r.trailers());
            } catch (IOException | RuntimeException cut) {
                seen.append("cut off: ").append(cut.getMessage());
            }
            return seen.toString();
        }
    }

    @Test
    void theCredentialInABodyNeverReachesTheGuest() throws Exception {
        String seen = fetch("/echo-body");

        assertThat(seen).doesNotContain(REAL_KEY).doesNotContain(REAL_KEY.substring(0, 12));
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"").contains("cut off")
                .doesNotContain(REAL_KEY);
    }

    @Test
    void theBareTokenOfABearerRouteInABodyNeverReachesTheGuest() throws Exception {
        gw.holder.set(CompiledPolicy.of(GatewayFixture.policy(List.of(),
                List.of(GatewayFixture.bearerRoute(API, upstream.port())))));

        String seen = fetch("/echo-bare-token", "Authorization: Bearer bottle-placeholder");

        assertThat(seen).doesNotContain(REAL_TOKEN).doesNotContain(REAL_TOKEN.substring(0, 12));
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"").contains("cut off")
                .doesNotContain(REAL_TOKEN);
    }

    @Test
    void theCredentialEncodedInABodyOrAHeaderNeverReachesTheGuest() throws Exception {
        String base64 = fetch("/echo-base64");
        String hex = fetch("/echo-hex-header");

        assertThat(base64).doesNotContain(Encodings.base64("x-api-key: " + REAL_KEY).substring(0, 40));
        assertThat(hex).startsWith("502").doesNotContain(java.util.HexFormat.of().formatHex(REAL_KEY.getBytes()));
        assertThat(gw.auditLines()).filteredOn(l -> l.contains("\"decision\":\"alert\"")).hasSize(2);
    }

    @Test
    void aCompressedAnswerToARequestThatCarriedTheCredentialIsRefusedUnread() throws Exception {
        String accepted = fetch("/accepted");
        String gzip = fetch("/echo-gzip");

        assertThat(accepted).as("the route's upstream is asked for what the gateway can watch")
                .contains("accepted identity");
        assertThat(gzip).startsWith("502").doesNotContain("key:");
        assertThat(fetch("/echo-gzip-second-header")).as("a coding in a second header").startsWith("502");
        assertThat(String.join("\n", gw.auditLines())).contains("Content-Encoding gzip").doesNotContain(REAL_KEY);
    }

    @Test
    void theCredentialInAHeaderGetsA502() throws Exception {
        String seen = fetch("/echo-header");

        assertThat(seen).startsWith("502").doesNotContain(REAL_KEY);
    }

    @Test
    void theCredentialSplitAcrossPartsNeverReachesTheGuestInAnyPart() throws Exception {
        String seen = fetch("/echo-split");

        assertThat(seen).doesNotContain(REAL_KEY.substring(0, 10));
        assertThat(String.join("\n", gw.auditLines())).contains("\"decision\":\"alert\"");
    }

    @Test
    void theCredentialInATrailerNeverReachesTheGuest() throws Exception {
        assertThat(fetch("/echo-trailer")).doesNotContain(REAL_KEY);
    }

    @Test
    void aStreamThatOnlyLooksLikeTheStartOfTheValueArrivesWhole() throws Exception {
        String seen = fetch("/stream");

        assertThat(seen).startsWith("200").contains("data: first\n\n" + REAL_KEY.substring(0, 6) + "...\n\n");
        assertThat(String.join("\n", gw.auditLines())).doesNotContain("\"decision\":\"alert\"");
    }

    @Test
    void eventsOfAWatchedStreamArriveWhileTheUpstreamHoldsItOpen() throws Exception {
        try (GuestSocket guest = GuestSocket.intercepted(gw, API, upstream.port())) {
            guest.send("GET", "/held", "Host: " + API + ":" + upstream.port() + "\r\n", "");
            GuestSocket.Response head = guest.head();
            String first = guest.readChunksUntil("message_start");
            long stillHeld = RELEASE.getCount();
            RELEASE.countDown();

            assertThat(first).contains("event: message_start");
            assertThat(stillHeld).isEqualTo(1);
            assertThat(guest.restOfChunked(head).body()).contains("message_stop");
        }
    }
}
