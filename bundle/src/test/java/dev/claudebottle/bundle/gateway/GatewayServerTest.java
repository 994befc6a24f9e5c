package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    GatewayFixture gw;
    final List<TestUpstream> upstreams = new ArrayList<>();

    @BeforeEach
    void fixture() throws Exception {
        gw = new GatewayFixture(temp, Map.of(
                "plain.upstream.test", "127.0.0.1",
                "api.upstream.test", "127.0.0.1",
                "rules.upstream.test", "127.0.0.1",
                "other.upstream.test", "127.0.0.1",
                "upstream.test", "127.0.0.1",
                "a.upstream.test", "127.0.0.1",
                "metadata.upstream.test", "169.254.169.254",
                "internal.upstream.test", "10.11.12.13"));
    }

    @AfterEach
    void close() {
        gw.close();
        upstreams.forEach(TestUpstream::close);
    }

    private TestUpstream https(String name) throws Exception {
        TestUpstream u = TestUpstream.https(name, gw.upstreamCa);
        upstreams.add(u);
        return u;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> audit() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : gw.auditLines()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void allowedHostIsTunnelledUntouched() throws Exception {
        TestUpstream up = https("plain.upstream.test");
        gw.start(policy(List.of(allow("plain.upstream.test", up.port())), List.of()));

        // A client that trusts only the upstream's CA succeeds only if the gateway did not decrypt.
        var r = get(gw.client(false, true), "https://plain.upstream.test:" + up.port() + "/hello");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from plain.upstream.test\n");
        assertThat(up.count()).isEqualTo(1);
        gw.server.close();
        // The tunnel's line is written when it closes, which the server's shutdown does asynchronously.
        Await.until(Duration.ofSeconds(5), "the tunnel's line",
                () -> audit().stream().anyMatch(a -> a.get("kind").asText().equals("tunnel")));
        assertThat(audit()).anySatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("tunnel");
            assertThat(a.get("decision").asText()).isEqualTo("allow");
            assertThat(a.get("host").asText()).isEqualTo("plain.upstream.test");
            assertThat(a.get("bytes_up").asLong()).isPositive();
            assertThat(a.get("bytes_down").asLong()).isPositive();
            assertThat(a.get("bottle").asText()).isEqualTo("test-0001");
        });
    }

    @Test
    void anInterceptedUpstreamFromACaNotTrustedGets502NamingThatCaAndSeesNoRequest() throws Exception {
        new dev.claudebottle.provision.ca.CertificateAuthority().mint("stranger", temp.resolve("stranger"));
        TestUpstream up = TestUpstream.https("api.upstream.test", LeafCertificates.load(temp.resolve("stranger")));
        upstreams.add(up);
        gw.start(policy(List.of(), List.of(route("api.upstream.test", up.port(), "x-api-key"))));

        var r = get(gw.client(true, false), "https://api.upstream.test:" + up.port() + "/v1/messages",
                "x-api-key", PLACEHOLDER);

        String why = "the upstream api.upstream.test:" + up.port() + " failed TLS: the upstream's certificate is not"
                + " trusted: its chain ends in the CA \"O=claude-bottle,CN=claude-bottle stranger CA\", which is not"
                + " trusted: add that CA's certificate to upstream_ca";
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains(why).doesNotContain(REAL_KEY);
        assertThat(up.seen).isEmpty();
        assertThat(audit()).anySatisfy(a -> {
            assertThat(a.get("decision").asText()).isEqualTo("error");
            assertThat(a.get("reason").asText()).isEqualTo(why);
        });
    }

    @Test
    void blockedHostGets403AndAuditLineWhileTheUpstreamSeesNothing() throws Exception {
        TestUpstream up = https("other.upstream.test");
        gw.start(policy(List.of(allow("plain.upstream.test", up.port())), List.of()));

        String answer = gw.raw("CONNECT other.upstream.test:" + up.port() + " HTTP/1.1\r\nHost: other.upstream.test\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403").contains("host other.upstream.test is not allowed")
                .contains("rule: default deny");
        assertThat(up.count()).isZero();
        assertThat(audit()).anySatisfy(a -> {
            assertThat(a.get("decision").asText()).isEqualTo("deny");
            assertThat(a.get("host").asText()).isEqualTo("other.upstream.test");
            assertThat(a.get("status").asInt()).isEqualTo(403);
        });
    }

    @Test
    void aRefusedHostThatAPresetCoversIsNamedInTheAnswerTheAgentReads() throws Exception {
        gw.start(policy(List.of(allow("plain.upstream.test", 443)), List.of()));

        String answer = gw.raw("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org:443\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403").contains("blocked: host pypi.org is not allowed; a preset that "
                + "would allow this host: pypi (rule: default deny)");
        assertThat(audit()).anySatisfy(a -> assertThat(a.get("reason").asText()).endsWith("would allow this host: pypi"));
    }

    @Test
    void wildcardMatchesSubdomainsButNotTheApex() throws Exception {
        TestUpstream sub = https("a.upstream.test");
        TestUpstream apex = https("upstream.test");
        gw.start(policy(List.of(allow("*.upstream.test", sub.port(), List.of(), List.of(), true),
                allow("*.upstream.test", apex.port(), List.of(), List.of(), true)), List.of()));

        assertThat(get(gw.client(false, true), "https://a.upstream.test:" + sub.port() + "/").statusCode())
                .isEqualTo(200);
        assertThat(gw.raw("CONNECT upstream.test:" + apex.port() + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(apex.count()).isZero();
    }

    @Test
    void methodAndPathRulesAreEnforcedInsideTheTunnel() throws Exception {
        TestUpstream up = https("rules.upstream.test");
        gw.start(policy(List.of(allow("rules.upstream.test", up.port(), List.of("GET", "HEAD"),
                List.of("/repos/acme/"), false)), List.of()));
        HttpClient client = gw.client(true, false);
        String base = "https://rules.upstream.test:" + up.port();

        assertThat(get(client, base + "/repos/acme/app").statusCode()).isEqualTo(200);
        var post = client.send(HttpRequest.newBuilder(URI.create(base + "/repos/acme/app"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("method POST is not allowed");
        var other = get(client, base + "/repos/evil/app");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("path /repos/evil/app is not allowed");
        assertThat(up.count()).isEqualTo(1);
        assertThat(up.seen.get(0).path()).isEqualTo("/repos/acme/app");
    }

    @Test
    void routeReplacesThePlaceholderWithTheRealCredential() throws Exception {
        TestUpstream up = https("api.upstream.test");
        gw.start(policy(List.of(), List.of(route("api.upstream.test", up.port(), "x-api-key"))));

        var r = get(gw.client(true, false), "https://api.upstream.test:" + up.port() + "/v1/messages",
                "x-api-key", PLACEHOLDER);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(up.seen).singleElement().satisfies(seen -> assertThat(seen.header("x-api-key")).isEqualTo(REAL_KEY));
        assertThat(r.body()).doesNotContain(REAL_KEY);
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(REAL_KEY);
    }

    @Test
    void routeSetsTheCredentialEvenWhenTheGuestSentNone() throws Exception {
        TestUpstream up = https("api.upstream.test");
        gw.start(policy(List.of(), List.of(route("api.upstream.test", up.port(), "authorization"))));

        assertThat(get(gw.client(true, false), "https://api.upstream.test:" + up.port() + "/v1/models").statusCode())
                .isEqualTo(200);
        assertThat(up.seen.get(0).header("authorization")).isEqualTo(REAL_KEY);
    }

    @Test
    void tripwireBlocksThePlaceholderOnItsWayToAnotherHostAndAlerts() throws Exception {
        TestUpstream api = https("api.upstream.test");
        TestUpstream other = https("other.upstream.test");
        gw.start(policy(List.of(allow("other.upstream.test", other.port(), List.of(), List.of("/"), false)),
                List.of(route("api.upstream.test", api.port(), "x-api-key"))));
        HttpClient client = gw.client(true, false);

        var header = get(client, "https://other.upstream.test:" + other.port() + "/collect", "x-api-key", PLACEHOLDER);
        var body = client.send(HttpRequest.newBuilder(URI.create("https://other.upstream.test:" + other.port() + "/c"))
                .POST(HttpRequest.BodyPublishers.ofString("key=" + REAL_KEY)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(header.statusCode()).isEqualTo(403);
        assertThat(header.body()).contains("tripwire").contains("placeholder");
        assertThat(body.statusCode()).isEqualTo(403);
        assertThat(body.body()).contains("tripwire").doesNotContain(REAL_KEY);
        assertThat(other.count()).isZero();
        assertThat(audit()).filteredOn(a -> a.get("decision").asText().equals("alert")).hasSize(2);
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(REAL_KEY);
    }

    @Test
    void plainHttpRequestsAreForwardedWithTheSameChecks() throws Exception {
        TestUpstream up = TestUpstream.http("plain.upstream.test");
        upstreams.add(up);
        gw.start(policy(List.of(allow("plain.upstream.test", up.port(), List.of("GET"), List.of(), false)),
                List.of()));
        HttpClient client = gw.client(false, false);

        var ok = get(client, "http://plain.upstream.test:" + up.port() + "/x?token=abc");
        var post = client.send(HttpRequest.newBuilder(URI.create("http://plain.upstream.test:" + up.port() + "/x"))
                .POST(HttpRequest.BodyPublishers.ofString("data")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("hello from plain.upstream.test\n");
        assertThat(up.seen.get(0).path()).isEqualTo("/x?token=abc");
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(up.count()).isEqualTo(1);
        assertThat(audit()).anySatisfy(a -> assertThat(a.get("path").asText()).isEqualTo("/x?token="));
    }

    @Test
    void ssrfRefusesLoopbackAndMetadataAddressesOfWildcardHosts() throws Exception {
        TestUpstream up = https("a.upstream.test");
        gw.start(policy(List.of(allow("*.upstream.test", up.port())), List.of()));

        String loopback = gw.raw("CONNECT a.upstream.test:" + up.port() + " HTTP/1.1\r\n\r\n");
        String metadata = gw.raw("CONNECT metadata.upstream.test:" + up.port() + " HTTP/1.1\r\n\r\n");
        String internal = gw.raw("CONNECT internal.upstream.test:" + up.port() + " HTTP/1.1\r\n\r\n");

        assertThat(loopback).startsWith("HTTP/1.1 403").contains("loopback address 127.0.0.1");
        assertThat(metadata).startsWith("HTTP/1.1 403").contains("link-local address 169.254.169.254");
        assertThat(internal).startsWith("HTTP/1.1 403").contains("private address 10.11.12.13");
        assertThat(up.count()).isZero();
        assertThat(audit()).filteredOn(a -> a.get("rule").asText().equals("ssrf")).hasSize(3);
    }

    @Test
    void malformedConnectGets400AndTheGatewayKeepsServing() throws Exception {
        TestUpstream up = https("plain.upstream.test");
        gw.start(policy(List.of(allow("plain.upstream.test", up.port())), List.of()));

        assertThat(gw.raw("CONNECT plain.upstream.test HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(gw.raw("CONNECT :443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(gw.raw("CONNECT a:b:c:99999 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(gw.raw("\u0000\u0001garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(gw.raw("GET /origin-form HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("not a proxy request");
        assertThat(gw.raw("CONNECT plain.upstream.test:" + up.port() + " HTTP/1.1\r\nX-Big: " + "a".repeat(40_000)
                + "\r\n\r\n")).startsWith("HTTP/1.1 431");

        assertThat(get(gw.client(false, true), "https://plain.upstream.test:" + up.port() + "/").statusCode())
                .isEqualTo(200);
    }

    @Test
    void fiveHundredConcurrentConnectionsSucceed() throws Exception {
        TestUpstream up = https("plain.upstream.test");
        gw.start(policy(List.of(allow("plain.upstream.test", up.port())), List.of()));
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            clients.add(gw.client(false, true));
        }
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (HttpClient c : clients) {
            all.add(c.sendAsync(HttpRequest.newBuilder(URI.create("https://plain.upstream.test:" + up.port() + "/c"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(all).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(up.count()).isEqualTo(500);
    }

    @Test
    void largeDownloadsArriveWholeThroughTheTunnelAndTheInterception() throws Exception {
        TestUpstream tunnelled = https("plain.upstream.test");
        TestUpstream intercepted = https("rules.upstream.test");
        gw.start(policy(List.of(allow("plain.upstream.test", tunnelled.port()),
                allow("rules.upstream.test", intercepted.port(), List.of("GET"), List.of(), false)), List.of()));

        var viaTunnel = gw.client(false, true).send(HttpRequest.newBuilder(URI.create("https://plain.upstream.test:"
                + tunnelled.port() + "/large")).build(), HttpResponse.BodyHandlers.ofByteArray());
        var viaInterception = gw.client(true, false).send(HttpRequest.newBuilder(URI.create(
                "https://rules.upstream.test:" + intercepted.port() + "/large")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(viaTunnel.statusCode()).isEqualTo(200);
        assertThat(viaTunnel.body()).hasSize(16 * 1024 * 1024);
        assertThat(viaInterception.statusCode()).isEqualTo(200);
        assertThat(viaInterception.body()).hasSize(16 * 1024 * 1024);
    }
}
