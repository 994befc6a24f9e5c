package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a request body hides in its encoding is found, and scanning cannot be made to stall the
 * gateway: large bodies are scanned off the event loop, in linear time.
 */
class GatewayInspectionTest {
    private static final String HOST = "inspect.upstream.test";
    private static final String SECRET = "{\"key\": \"AKIA" + "IOSFODNN7EXAMPLE\"}";
    @TempDir
    Path temp;
    GatewayFixture gw;
    TestUpstream up;

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp, Map.of(HOST, "127.0.0.1"));
        up = TestUpstream.http(HOST);
        // a route elsewhere: the tripwire reads every request to HOST too
        gw.start(policy(List.of(allow(HOST, up.port())), List.of(GatewayFixture.route("api.elsewhere.test", 443,
                "x-api-key"))));
    }

    @AfterEach
    void stop() {
        gw.close();
        up.close();
    }

    private HttpResponse<String> post(byte[] body, String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + up.port() + "/up"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(30));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return gw.client(false, false).send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void aSecretInACompressedBodyIsFound() throws Exception {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);

        assertThat(post(gzip(secret), "gzip").statusCode()).isEqualTo(403);
        assertThat(post(deflate(secret, false), "deflate").statusCode()).isEqualTo(403);
        assertThat(post(deflate(secret, true), "deflate").statusCode()).isEqualTo(403);
        com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
        assertThat(post(com.aayushatharva.brotli4j.encoder.Encoder.compress(secret), "br").statusCode()).isEqualTo(403);
        assertThat(up.count()).isZero();
    }

    @Test
    void aCleanCompressedBodyGoesUpstreamAsItCame() throws Exception {
        byte[] body = gzip("{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(post(body, "gzip").statusCode()).isEqualTo(200);
        assertThat(up.seen.get(0).header("content-encoding")).isEqualTo("gzip");
    }

    @Test
    void aBodyTheGatewayCannotReadOrThatDecompressesPastTheLimitIsRefused() throws Exception {
        assertThat(post(SECRET.getBytes(StandardCharsets.UTF_8), "zstd").statusCode()).isEqualTo(415);
        assertThat(post(SECRET.getBytes(StandardCharsets.UTF_8), "gzip, br").statusCode()).isEqualTo(415);
        assertThat(post("not gzip at all".getBytes(StandardCharsets.UTF_8), "gzip").statusCode()).isEqualTo(400);
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
        assertThat(post(bomb, "gzip").statusCode()).isEqualTo(413);
        assertThat(up.count()).isZero();
    }

    @Test
    void anUnrelatedRequestIsAnsweredWhileEightLargePathologicalBodiesAreScanned() throws Exception {
        // Long runs that look like the start of a token, a JWT and base64 again and again.
        answeredWhileScanning("eyJ", "eyJhbGciOi.eyJ", "AKIA", "ghp_", "sk-", "0000 ", "%25", "QUtJQ");
    }

    @Test
    void anUnrelatedRequestIsAnsweredWhileBodiesThatNearlyHoldThePlaceholderAreScanned() throws Exception {
        // Each form of the placeholder the tripwire looks for, but its last character, again and again.
        answeredWhileScanning("Ym90dGxlLXBsYWNlaG9sZGV", "626f74746c652d706c616365686f6c6465", "bottle-placeholde",
                "%2562%256f%2574%2574%256c%2565%252d", "JTYyJTZmJTc0JTc0JTZjJTY1JTJk");
    }

    private void answeredWhileScanning(String... shapes) throws Exception {
        List<Socket> floods = new ArrayList<>();
        try {
            for (String shape : shapes) {
                byte[] body = shape.repeat((1 << 20) / shape.length()).getBytes(StandardCharsets.ISO_8859_1);
                Socket s = new Socket(gw.address.getAddress(), gw.address.getPort());
                OutputStream out = s.getOutputStream();
                out.write(("POST http://" + HOST + ":" + up.port() + "/flood HTTP/1.1\r\nHost: " + HOST + ":" + up.port()
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                floods.add(s);
            }
            long started = System.nanoTime();
            HttpResponse<String> r = gw.client(false, false).send(HttpRequest.newBuilder(
                    URI.create("http://" + HOST + ":" + up.port() + "/unrelated")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(millis).as("the unrelated request took %d ms", millis).isLessThan(5_000);
        } finally {
            for (Socket s : floods) {
                s.close();
            }
        }
    }
}
