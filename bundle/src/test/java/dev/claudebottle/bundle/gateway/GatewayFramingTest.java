package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.ScriptedUpstream.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every HTTP/1.1 framing a real server uses reaches the guest so that the guest knows where each
 * response ends, over plain HTTP and inside an intercepted tunnel; streamed events are passed on
 * as they come.
 */
class GatewayFramingTest {
    private static final String HOST = "framing.upstream.test";
    @TempDir
    Path temp;
    GatewayFixture gw;
    ScriptedUpstream upstream;
    volatile CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (gw != null) {
            gw.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The upstream: what it answers depends on the path. */
    private boolean answer(ScriptedUpstream.Request request, OutputStream out) throws Exception {
        String path = request.requestLine().split(" ")[1];
        switch (path) {
            case "/length" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            case "/chunked" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Checksum: 42\r\n\r\n");
            case "/close" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end");
                return false;
            }
            case "/head" -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
            case "/no-content" -> write(out, "HTTP/1.1 204 No Content\r\n\r\n");
            case "/not-modified" -> write(out, "HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
            case "/early-hints" -> write(out, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal");
            case "/events-close", "/events-chunked" -> {
                boolean chunked = path.endsWith("chunked");
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n") + "\r\n");
                event(out, chunked, "event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
                // Held open until the test has seen the first event at the guest.
                if (!release.await(20, TimeUnit.SECONDS)) {
                    return false;
                }
                event(out, chunked, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
                if (chunked) {
                    write(out, "0\r\n\r\n");
                }
                return chunked;
            }
            default -> write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        }
        return true;
    }

    private static void event(OutputStream out, boolean chunked, String text) throws Exception {
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        write(out, chunked ? Integer.toHexString(size) + "\r\n" + text + "\r\n" : text);
    }

    private GuestSocket connect(String mode) throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1"));
        boolean intercepted = mode.equals("intercepted");
        upstream = intercepted ? ScriptedUpstream.https(HOST, gw.upstreamCa, this::answer)
                : ScriptedUpstream.http(this::answer);
        // Method rules make the gateway intercept the tunnel.
        gw.start(policy(List.of(intercepted
                ? allow(HOST, upstream.port(), List.of("GET", "HEAD", "POST"), List.of(), false)
                : allow(HOST, upstream.port())), List.of()));
        return intercepted ? GuestSocket.intercepted(gw, HOST, upstream.port())
                : GuestSocket.plain(gw, HOST, upstream.port());
    }

    private String headers() {
        return "Host: " + HOST + ":" + upstream.port() + "\r\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void contentLengthBodiesArriveAndTheConnectionIsReused(String mode) throws Exception {
        try (GuestSocket guest = connect(mode)) {
            guest.send("GET", "/length", headers(), "");
            GuestSocket.Response first = guest.read("GET");
            guest.send("GET", "/length", headers(), "");
            GuestSocket.Response second = guest.read("GET");

            assertThat(first.body()).isEqualTo("hello");
            assertThat(first.framing()).isEqualTo("length");
            assertThat(second.body()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void chunkedBodiesArriveWithTheirTrailers(String mode) throws Exception {
        try (GuestSocket guest = connect(mode)) {
            guest.send("GET", "/chunked", headers(), "");
            GuestSocket.Response r = guest.read("GET");

            assertThat(r.framing()).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo("abcdefg");
            assertThat(r.trailers()).containsExactly("X-Checksum: 42");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void aBodyTheUpstreamEndsByClosingIsReframedSoTheGuestSeesItsEnd(String mode) throws Exception {
        try (GuestSocket guest = connect(mode)) {
            guest.send("GET", "/close", headers(), "");
            GuestSocket.Response r = guest.read("GET");
            // The guest connection outlives the upstream's: a next request is served on it.
            guest.send("GET", "/length", headers(), "");
            GuestSocket.Response next = guest.read("GET");

            assertThat(r.framing()).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo("until the end");
            assertThat(r.header("connection")).isNull();
            assertThat(next.body()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void headNoContentAndNotModifiedEndWithoutABody(String mode) throws Exception {
        try (GuestSocket guest = connect(mode)) {
            guest.send("HEAD", "/head", headers(), "");
            GuestSocket.Response head = guest.read("HEAD");
            guest.send("GET", "/no-content", headers(), "");
            GuestSocket.Response none = guest.read("GET");
            guest.send("GET", "/not-modified", headers(), "");
            GuestSocket.Response same = guest.read("GET");
            guest.send("GET", "/length", headers(), "");
            GuestSocket.Response after = guest.read("GET");

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("100");
            assertThat(none.status()).isEqualTo(204);
            assertThat(same.status()).isEqualTo(304);
            assertThat(same.header("etag")).isEqualTo("\"x\"");
            // Had any of them carried a body, this response would not parse.
            assertThat(after.body()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void interimResponsesArePassedOnAndTheFinalOneFollows(String mode) throws Exception {
        try (GuestSocket guest = connect(mode)) {
            guest.send("GET", "/early-hints", headers(), "");
            GuestSocket.Response hints = guest.read("GET");
            GuestSocket.Response cont = guest.read("GET");
            GuestSocket.Response last = guest.read("GET");
            guest.send("GET", "/length", headers(), "");
            GuestSocket.Response after = guest.read("GET");

            assertThat(hints.status()).isEqualTo(103);
            assertThat(hints.header("link")).isEqualTo("</style.css>; rel=preload");
            assertThat(cont.status()).isEqualTo(100);
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.body()).isEqualTo("final");
            assertThat(after.body()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void serverSentEventsReachTheGuestWhileTheUpstreamHoldsTheResponseOpen(String mode) throws Exception {
        for (String framing : List.of("close", "chunked")) {
            release = new CountDownLatch(1);
            try (GuestSocket guest = connect(mode)) {
                guest.send("POST", "/events-" + framing, headers() + "Accept: text/event-stream\r\n",
                        "{\"stream\":true}");
                GuestSocket.Response head = guest.head();
                String first = guest.readChunksUntil("message_start");
                // The upstream still holds the response open: the first event came through on its own.
                long stillHeld = release.getCount();
                release.countDown();
                GuestSocket.Response rest = guest.restOfChunked(head);

                assertThat(head.header("content-type")).isEqualTo("text/event-stream");
                assertThat(first).contains("event: message_start");
                assertThat(stillHeld).isEqualTo(1);
                assertThat(rest.body()).contains("event: message_stop");
            } finally {
                stop();
                gw = null;
                upstream = null;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "intercepted"})
    void curlReadsAStreamTheUpstreamEndsByClosingToItsEnd(String mode) throws Exception {
        release.countDown();
        connect(mode).close();
        String scheme = mode.equals("intercepted") ? "https" : "http";
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "-N", "--max-time", "20", "-x",
                "http://127.0.0.1:" + gw.address.getPort(), "--cacert", gw.curlCaBundle().toString(),
                "-w", "\n%{http_code}", "-X", "POST", "-d", "{}",
                scheme + "://" + HOST + ":" + upstream.port() + "/events-close"));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("message_start").contains("message_stop").endsWith("\n200");
    }
}
