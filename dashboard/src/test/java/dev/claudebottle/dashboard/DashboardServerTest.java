package dev.claudebottle.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.spi.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard attacked as a web page in the person's browser could be, or a guest's text in it:
 * a real server on loopback, raw requests with whatever Host, Origin, cookie and method an attacker
 * would send.
 */
class DashboardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A title a guest could write: markup, a script, a bidi override and a terminal escape. */
    private static final String HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>\u202etxt.exe\u001b[2J";
    @TempDir
    Path bottles;
    @TempDir
    Path records;
    FakeHome home;
    DashboardServer server;
    URI url;
    String token;
    String origin;



    @BeforeEach
    void start() throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("slug", "web-1a2b");
        row.put("agent", "coder");
        row.put("backend", "docker");
        row.put("state", "running");
        row.put("started_at", "2026-12-07T10:00:00Z");
        row.put("tainted", true);
        row.put("alert", Map.of("rule", "tripwire", "reason", HOSTILE));
        home = new FakeHome(bottles, records, () -> row);
        home.question("a1b2c3d4", HOSTILE, HOSTILE);
        server = new DashboardServer(home, InetAddress.getLoopbackAddress());
        url = server.start();
        token = url.getFragment().substring("token=".length());
        origin = "http://127.0.0.1:" + url.getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One raw HTTP/1.1 exchange on a new connection. */
    private Answer send(String method, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), url.getPort())) {
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "127.0.0.1:" + url.getPort());
            all.putAll(headers);
            all.forEach((k, v) -> {
                if (v != null) {
                    request.append(k).append(": ").append(v).append("\r\n");
                }
            });
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            if (!method.equals("GET")) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Answer.of(raw);
        }
    }

    private String bearer() {
        return "Bearer " + token;
    }

    private Answer get(String path) throws IOException {
        return send("GET", path, Map.of("Authorization", bearer()), "");
    }

    private String csrf() throws IOException {
        return JSON.readTree(get("/api/session").body()).get("csrf").asText();
    }

    private Answer decide(String id, String verb, Map<String, String> headers) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(Map.of("Authorization", bearer(), "Origin", origin,
                Guard.CSRF_HEADER, csrf(), "Content-Type", "application/json"));
        all.putAll(headers);
        return send("POST", "/api/questions/" + id + "/" + verb, all, "{\"scope\":\"bottle\"}");
    }

    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
                        (a, b) -> a + "\n" + b);
            }
            String body = raw.substring(split + 4);
            if ("chunked".equals(headers.get("transfer-encoding"))) {
                StringBuilder joined = new StringBuilder();
                for (int at = 0; ; ) {
                    int end = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, end).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(body, end + 2, end + 2 + size);
                    at = end + 2 + size + 2;
                }
                body = joined.toString();
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }
    }

    @Test
    void theTokenTravelsInTheUrlsFragmentAndThePagesFilesHoldNoSecret() throws Exception {
        assertThat(url.getQuery()).as("a query would reach the server's and the browser's history").isNull();
        assertThat(url.getFragment()).startsWith("token=");

        for (String path : List.of("/", "/dashboard.js", "/dashboard.css")) {
            Answer file = send("GET", path, Map.of(), "");
            assertThat(file.status()).as(path).isEqualTo(200);
            assertThat(file.body()).doesNotContain(token).doesNotContain("a1b2c3d4");
            assertThat(file.headers()).doesNotContainKey("set-cookie");
        }
        assertThat(get("/").body()).contains("<script src=\"/dashboard.js\" defer></script>");
    }

    @Test
    void everyRequestForDataWithoutTheTokenIsRefusedAndACookieIsNeverEnough() throws Exception {
        for (String path : List.of("/api/bottles", "/api/questions", "/api/session")) {
            Answer none = send("GET", path, Map.of(), "");
            assertThat(none.status()).as(path).isEqualTo(403);
            assertThat(none.body()).doesNotContain("a1b2c3d4").doesNotContain("web-1a2b");
            Answer wrong = send("GET", path, Map.of("Authorization", "Bearer " + token.substring(1) + "A"), "");
            assertThat(wrong.status()).as(path).isEqualTo(403);
            // a cookie for 127.0.0.1 goes to every port there: the token is never taken from one
            Answer cookie = send("GET", path, Map.of("Cookie", "bottle_dashboard=" + token), "");
            assertThat(cookie.status()).as(path).isEqualTo(403);
            Answer basic = send("GET", path, Map.of("Authorization", token), "");
            assertThat(basic.status()).as(path).isEqualTo(403);
        }
        assertThat(send("GET", "/api/questions?token=" + token, Map.of(), "").status()).isEqualTo(403);
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
        for (String host : List.of("evil.test:" + url.getPort(), "localhost:" + url.getPort(), "127.0.0.1",
                "127.0.0.1:" + (url.getPort() + 1), "127.0.0.1:" + url.getPort() + ".evil.test")) {
            Answer a = send("GET", "/api/questions", Map.of("Host", host, "Authorization", bearer()), "");
            // a Host that is not even a host and port is refused by the server's parser itself
            assertThat(a.status()).as(host).isIn(400, 421);
            assertThat(a.body()).doesNotContain("a1b2c3d4");
        }
    }

    @Test
    void aChangeNeedsAPostFromThePagesOwnOriginWithItsCsrfToken() throws Exception {
        assertThat(send("GET", "/api/questions/a1b2c3d4/approve", Map.of("Authorization", bearer()), "").status())
                .as("not by GET").isEqualTo(405);
        assertThat(decide("a1b2c3d4", "approve", Map.of("Origin", "http://evil.test")).status()).isEqualTo(403);
        assertThat(decide("a1b2c3d4", "approve", Map.of("Origin", "null")).status()).isEqualTo(403);
        assertThat(decide("a1b2c3d4", "approve", Map.of("Origin", "http://localhost:" + url.getPort())).status())
                .isEqualTo(403);
        Map<String, String> noOrigin = new LinkedHashMap<>(Map.of(Guard.CSRF_HEADER, csrf()));
        noOrigin.put("Origin", null);
        assertThat(decide("a1b2c3d4", "approve", noOrigin).status()).as("no Origin").isEqualTo(403);
        assertThat(decide("a1b2c3d4", "approve", Map.of(Guard.CSRF_HEADER, "forged")).status()).isEqualTo(403);
        Map<String, String> noCsrf = new LinkedHashMap<>();
        noCsrf.put(Guard.CSRF_HEADER, null);
        assertThat(decide("a1b2c3d4", "approve", noCsrf).status()).isEqualTo(403);
        assertThat(decide("a1b2c3d4", "approve", Map.of("Authorization", "Bearer other")).status()).as("no session")
                .isEqualTo(403);
        assertThat(home.board().requests()).singleElement().satisfies(r -> assertThat(r.pending()).isTrue());

        Answer approved = decide("a1b2c3d4", "approve", Map.of());

        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(home.board().requests()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(ApprovalQueueFiles.State.APPROVED);
            assertThat(r.scope()).isEqualTo(ApprovalQueueFiles.Scope.BOTTLE);
        });
        assertThat(decide("a1b2c3d4", "deny", Map.of()).status()).as("decided once").isEqualTo(409);
    }

    @Test
    void aQuestionDeniedOnThePageIsDeniedForTheCommandLineToo() throws Exception {
        home.question("e5f6a7b8", "deploy", HOSTILE);
        assertThat(decide("e5f6a7b8", "deny", Map.of()).status()).isEqualTo(200);
        assertThat(home.board().requests()).filteredOn(r -> r.id().equals("e5f6a7b8")).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(ApprovalQueueFiles.State.DENIED));
        JsonNode listed = JSON.readTree(get("/api/questions").body());
        assertThat(listed.get(0).get("id").asText()).as("the pending one first").isEqualTo("a1b2c3d4");
    }

    @Test
    void aGuestsTextReachesThePageInertAndThePageAllowsNoInlineScript() throws Exception {
        for (String path : List.of("/api/questions", "/api/bottles")) {
            Answer a = get(path);
            assertThat(a.headers().get("content-type")).startsWith("application/json");
            assertThat(a.body()).as(path).doesNotContain("\u202e").doesNotContain("\u001b")
                    .contains("\\\\u202e").contains("\\\\u001b");
            // markup stays text: JSON carries it, and the page puts every text in with textContent
            assertThat(JSON.readTree(a.body()).toString()).contains("<script>");
        }
        String script = get("/dashboard.js").body();
        assertThat(script).doesNotContain("innerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(");
        String page = get("/").body();
        assertThat(page).doesNotContain("onclick").doesNotContain("<script>").doesNotContain("style=");
    }

    @Test
    void everyAnswerCarriesTheHeadersThatKeepOtherSitesOutAndNoCorsHeader() throws Exception {
        for (Answer a : List.of(get("/"), get("/api/bottles"), send("GET", "/api/bottles", Map.of(), ""),
                send("GET", "/", Map.of("Host", "evil.test"), ""), send("GET", "/", Map.of("Host", "a b:c:d"), ""),
                send("OPTIONS", "/api/questions/a1b2c3d4/approve", Map.of("Origin", "http://evil.test",
                        "Access-Control-Request-Method", "POST"), ""))) {
            assertThat(a.headers().get("content-security-policy")).isEqualTo(DashboardServer.POLICY)
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(a.headers().get("x-frame-options")).isEqualTo("DENY");
            assertThat(a.headers().get("x-content-type-options")).isEqualTo("nosniff");
            assertThat(a.headers().get("cache-control")).contains("no-store");
            assertThat(a.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
            assertThat(a.headers()).doesNotContainKey("server");
        }
    }

    @Test
    void aChangesBodyIsBoundedAndOnlyALoopbackAddressIsServed() throws Exception {
        Answer big = send("POST", "/api/questions/a1b2c3d4/approve", Map.of("Authorization", bearer(), "Origin",
                origin, Guard.CSRF_HEADER, csrf()), "{\"reason\":\"" + "x".repeat(DashboardServer.MOST_BODY) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(home.board().requests()).singleElement().satisfies(r -> assertThat(r.pending()).isTrue());

        for (String wildcard : List.of("0.0.0.0", "::", "::1")) {
            assertThatThrownBy(() -> new DashboardServer(null, InetAddress.getByName(wildcard))).as(wildcard)
                    .isInstanceOf(BadInputException.class).hasMessageContaining("loopback");
        }
        assertThat(String.valueOf(server)).doesNotContain(token);
    }

    /** A line as the gateway writes it into the record. */
    private void traffic(String host, String decision) throws IOException {
        Path file = Files.createDirectories(records.resolve("web-1a2b")).resolve("audit.jsonl");
        Files.writeString(file, JSON.writeValueAsString(Map.of("time", Instant.now().toString(), "kind", "request",
                "method", "GET", "host", host, "port", 443, "path", "/x", "decision", decision, "reason", "r",
                "status", 200)) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void aBottlesTrafficIsPushedAsItIsWrittenInertAndOnlyWithTheToken() throws Exception {
        traffic("before.test", "allow");
        assertThat(send("GET", "/api/bottles/web-1a2b/traffic", Map.of(), "").status()).isEqualTo(403);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), url.getPort())) {
            // a stream that never brings what is waited for fails the test instead of holding it
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /api/bottles/web-1a2b/traffic HTTP/1.1\r\nHost: 127.0.0.1:"
                    + url.getPort() + "\r\nAuthorization: " + bearer() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] chunk = new byte[8192];
            while (!got.toString().contains(": ready")) {
                got.append(new String(chunk, 0, in.read(chunk), StandardCharsets.UTF_8));
            }
            assertThat(got).contains("text/event-stream").contains("before.test");

            traffic("evil\u202e.test", "deny");
            while (!got.toString().contains("evil")) {
                got.append(new String(chunk, 0, in.read(chunk), StandardCharsets.UTF_8));
            }
            assertThat(got).doesNotContain("\u202e").contains("evil\\\\u202e.test");
        }
    }

    @Test
    void aStopIsAChangeLikeAnyOtherAndOnlyForABottleThatIsThere() throws Exception {
        Answer forged = send("POST", "/api/bottles/web-1a2b/stop", Map.of("Authorization", bearer(), "Origin",
                "http://evil.test", Guard.CSRF_HEADER, csrf()), "{}");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(send("POST", "/api/bottles/web-1a2b/stop", Map.of("Authorization", bearer(), "Origin", origin),
                "{}").status()).as("no CSRF token").isEqualTo(403);
        assertThat(send("GET", "/api/bottles/web-1a2b/stop", Map.of("Authorization", bearer()), "").status())
                .isEqualTo(405);
        assertThat(home.stopped).isEmpty();

        Answer unknown = send("POST", "/api/bottles/db-9z9z/stop", Map.of("Authorization", bearer(), "Origin", origin,
                Guard.CSRF_HEADER, csrf()), "{}");
        assertThat(unknown.status()).isEqualTo(404);
        Answer stop = send("POST", "/api/bottles/web-1a2b/stop", Map.of("Authorization", bearer(), "Origin", origin,
                Guard.CSRF_HEADER, csrf()), "{}");
        assertThat(stop.status()).isEqualTo(200);
        assertThat(home.stopped).containsExactly("web-1a2b");
    }

    @Test
    void recordsAndTheirVerificationNeedTheTokenAndComeInert() throws Exception {
        assertThat(send("GET", "/api/records", Map.of(), "").status()).isEqualTo(403);
        assertThat(send("GET", "/api/records/old-9f8e/verify", Map.of(), "").status()).isEqualTo(403);
        assertThat(JSON.readTree(get("/api/records").body()).get(0).get("slug").asText()).isEqualTo("old-9f8e");
        Answer verified = get("/api/records/old-9f8e/verify");
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body()).doesNotContain("\u202e").contains("\\\\u202e");
        assertThat(get("/api/records/none-0000/verify").status()).isEqualTo(404);
        assertThat(get("/api/records/..%2Fetc/verify").status()).as("an encoded path is refused").isIn(400, 404);
    }

    @Test
    void aNewQuestionIsPushedToAListeningPageAndOnlyWithTheToken() throws Exception {
        assertThat(send("GET", "/api/changes", Map.of(), "").status()).isEqualTo(403);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), url.getPort())) {
            // a stream that never brings what is waited for fails the test instead of holding it
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /api/changes HTTP/1.1\r\nHost: 127.0.0.1:" + url.getPort()
                    + "\r\nAuthorization: " + bearer() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] chunk = new byte[8192];
            // the first look tells of what is there; the question filed later is a change of its own
            while (!got.toString().contains("data: changed")) {
                got.append(new String(chunk, 0, in.read(chunk), StandardCharsets.UTF_8));
            }
            int before = got.toString().split("data: changed", -1).length;
            home.question("f0e1d2c3", "a question filed while the page listens", HOSTILE);
            while (got.toString().split("data: changed", -1).length == before) {
                got.append(new String(chunk, 0, in.read(chunk), StandardCharsets.UTF_8));
            }
            assertThat(got).as("the event says only that something changed").doesNotContain("a question filed");
        }
    }
}
