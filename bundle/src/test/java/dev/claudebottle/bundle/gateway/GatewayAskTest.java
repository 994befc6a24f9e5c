package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import dev.claudebottle.spi.manifest.UnknownAction;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.trust.SecretSamples;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.spi.testing.Await;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egress.unknown: ask}: a request to a host no rule covers waits while a person decides
 * through the approval queue, and what the person decided is what the guest gets.
 */
class GatewayAskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTRY = "registry.ask.test";
    @TempDir
    Path temp;
    Path queue;
    GatewayFixture gw;
    TestUpstream registry;
    InetAddress local;

    @BeforeEach
    void fixture() throws Exception {
        local = TestUpstream.nonLoopbackAddress();
        Map<String, String> names = new HashMap<>(Map.of(REGISTRY, local.getHostAddress(),
                "loop.ask.test", "127.0.0.1", "metadata.ask.test", "169.254.169.254",
                "rebind.ask.test", "198.51.100.7",
                BundleLayout.PROBE_HOST, local.getHostAddress()));
        for (int i = 0; i <= EgressAsks.MAX_OPEN; i++) {
            names.put("h" + i + ".ask.test", local.getHostAddress());
        }
        gw = new GatewayFixture(temp, names);
        registry = TestUpstream.http(REGISTRY, local);
        queue = temp.resolve("queue");
    }

    @AfterEach
    void close() {
        gw.close();
        registry.close();
    }

    private void startAsking(Duration timeout) throws Exception {
        gw.startAsking(policy(List.of(allow("known.ask.test", 80)), List.of()).unknown(UnknownAction.ASK, timeout), queue);
    }

    private String url(String path) {
        return "http://" + REGISTRY + ":" + registry.port() + path;
    }

    /** What the gateway answers a raw CONNECT to {@code target} ({@code host:port}). */
    private String connect(String target) throws java.io.IOException {
        return gw.raw("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
    }

    /** What the gateway answers a raw plain-HTTP GET of {@code path} on {@code target} ({@code host:port}). */
    private String plainGet(String target, String path) throws java.io.IOException {
        return gw.raw("GET http://" + target + path + " HTTP/1.1\r\nHost: " + target
                + "\r\nConnection: close\r\n\r\n");
    }

    private CompletableFuture<HttpResponse<String>> get(String url) throws Exception {
        return gw.client(false, false).sendAsync(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<ApprovalQueueFiles.Request> questions() throws Exception {
        Path dir = queue.resolve(ApprovalQueueFiles.REQUESTS);
        List<ApprovalQueueFiles.Request> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(ApprovalQueueFiles.Request.fromJson(JSON.readValue(f.toFile(), Object.class)));
            }
        }
        return out;
    }

    private ApprovalQueueFiles.Request awaitQuestion(int count) throws Exception {
        Await.until(Duration.ofSeconds(10), count + " question(s)", () -> questions().size() >= count);
        assertThat(questions()).hasSize(count);
        // the newest: file names are random ids, so the order of the files is not that of asking
        return questions().stream().max(java.util.Comparator.comparing(ApprovalQueueFiles.Request::createdAt))
                .orElseThrow();
    }

    /** What {@code bottle supervise approve|deny} writes. */
    private void decide(ApprovalQueueFiles.Request question, ApprovalQueueFiles.State state,
                        ApprovalQueueFiles.Scope scope) throws Exception {
        ApprovalQueueFiles.place(queue, new ApprovalQueueFiles.Decision(question.id(), state,
                state == ApprovalQueueFiles.State.DENIED ? "not this one" : "", Instant.now(),
                ApprovalQueueFiles.DecidedBy.HOST, scope), JSON::writeValueAsBytes);
    }

    /** What {@code bottle supervise revoke} writes. */
    private void revoke(ApprovalQueueFiles.Request question) throws Exception {
        Path revoked = Files.createDirectories(queue.resolve(ApprovalQueueFiles.REVOKED));
        Files.write(revoked.resolve(ApprovalQueueFiles.fileName(question.id())), JSON.writeValueAsBytes(
                new ApprovalQueueFiles.Revocation(question.id(), Instant.now(), "").toJson()));
    }

    @Test
    void anUnknownHostWaitsForAPersonAndOnceApprovedForTheBottleLaterRequestsPassWithoutAsking() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var waiting = get(url("/pkg/left-pad?token=abc"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        assertThat(question.kind()).isEqualTo("egress");
        assertThat(question.slug()).isEqualTo("test-0001");
        assertThat(question.title()).contains(REGISTRY + ":" + registry.port()).contains("GET /pkg/left-pad")
                .as("the query may carry anything and is not shown").doesNotContain("token");
        assertThat(question.details()).contains(local.getHostAddress());
        assertThat(waiting).isNotDone();
        assertThat(registry.count()).as("nothing reaches the host before a person decides").isZero();

        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(waiting.get().statusCode()).isEqualTo(200);
        assertThat(waiting.get().body()).isEqualTo("hello from " + REGISTRY + "\n");

        assertThat(get(url("/pkg/right-pad")).get().statusCode()).isEqualTo(200);
        assertThat(questions()).as("a grant for the bottle is not asked again").hasSize(1);
        assertThat(gw.auditLines()).anySatisfy(line -> assertThat(line).contains("granted by a person")
                .contains(question.id()));
        assertThat(gw.auditLines()).anySatisfy(line -> assertThat(line).contains("\"kind\":\"approval\"")
                .contains("\"method\":\"request\"").contains(question.id()));
        assertThat(gw.auditLines()).anySatisfy(line -> assertThat(line).contains("\"kind\":\"approval\"")
                .contains("\"decision\":\"approved\"").contains("decided by a person at ")
                .contains("(scope bottle)"));
    }

    @Test
    void anApprovalForThisRequestOnlyIsAskedAgainNextTime() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var first = get(url("/a"));
        decide(awaitQuestion(1), ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.REQUEST);
        assertThat(first.get().statusCode()).isEqualTo(200);

        var second = get(url("/b"));
        ApprovalQueueFiles.Request again = awaitQuestion(2);
        assertThat(second).isNotDone();
        decide(again, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(second.get().statusCode()).isEqualTo(403);
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void aRefusalByAPersonIsA403ThatSaysSoAndStaysForTheBottle() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var waiting = get(url("/pkg"));
        decide(awaitQuestion(1), ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        HttpResponse<String> refused = waiting.get();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("a person refused " + REGISTRY).contains("not this one")
                .contains("What you can do:");
        assertThat(refused.headers().firstValue("X-Claude-Bottle-Reason")).contains("refused-by-person");

        HttpResponse<String> later = get(url("/other")).get();
        assertThat(later.statusCode()).isEqualTo(403);
        assertThat(later.headers().firstValue("X-Claude-Bottle-Reason")).contains("refused-by-person");
        assertThat(questions()).as("a refused host is not asked about again").hasSize(1);
        assertThat(registry.count()).isZero();
    }

    @Test
    void nobodyAnsweringIsARefusalAtTheTimeout() throws Exception {
        startAsking(Duration.ofMillis(600));

        HttpResponse<String> expired = get(url("/pkg")).get();

        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.headers().firstValue("X-Claude-Bottle-Reason")).contains("ask-expired");
        assertThat(expired.body()).contains("nobody decided");
        ApprovalQueueFiles.Request question = questions().get(0);
        assertThat(queue.resolve(ApprovalQueueFiles.DECISIONS).resolve(ApprovalQueueFiles.fileName(question.id())))
                .as("the queue shows it expired").content().contains("\"expired\"");
        assertThat(registry.count()).isZero();
    }

    @Test
    void requestsThatShowTheSameShareTheQuestionAndItsAnswer() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var one = get(url("/same"));
        var two = get(url("/same"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.REQUEST);

        assertThat(one.get().statusCode()).as(gw.auditLines().toString()).isEqualTo(200);
        assertThat(two.get().statusCode()).as(gw.auditLines().toString()).isEqualTo(200);
        assertThat(questions()).hasSize(1);
    }

    @Test
    void anApprovalOfOneRequestLetsThroughNoOtherRequestThatWaitedOnIt() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var shown = get(url("/shown"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        // a POST and a raw tunnel to the same host and port wait on the GET's question
        var post = gw.client(false, false).sendAsync(HttpRequest.newBuilder(URI.create(url("/delete-everything")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        String target = REGISTRY + ":" + registry.port();
        var tunnel = CompletableFuture.supplyAsync(() -> {
            try {
                return connect(target);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Await.until(Duration.ofSeconds(10), "the POST and the tunnel waiting on the question",
                () -> gw.server.waitingBehindQuestions() == 2);
        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.REQUEST);

        assertThat(shown.get().statusCode()).isEqualTo(200);
        assertThat(registry.count()).as("only the request shown reached the host").isEqualTo(1);
        // the others are asked about in turn, each showing what it is
        awaitQuestion(2);
        ApprovalQueueFiles.Request next = questions().stream().filter(q -> !q.id().equals(question.id()))
                .findFirst().orElseThrow();
        assertThat(next.title()).containsAnyOf("POST /delete-everything", "(CONNECT)");
        assertThat(post).isNotDone();
        assertThat(tunnel).isNotDone();
        decide(next, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(post.get().statusCode()).isEqualTo(403);
        assertThat(tunnel.get()).startsWith("HTTP/1.1 403");
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void anApprovalOfOneRequestCoversNoOtherQueryBehindTheSamePath() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var shown = get(url("/search?q=harmless"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        var other = get(url("/search?q=the-secrets-it-read"));
        Await.until(Duration.ofSeconds(10), "the other query waiting on the question",
                () -> gw.server.waitingBehindQuestions() == 1);
        assertThat(question.egress().orElseThrow().queryBytes()).isEqualTo("q=harmless".length());
        assertThat(question.details()).contains("and a query of 10 bytes, not shown");
        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.REQUEST);

        assertThat(shown.get().statusCode()).isEqualTo(200);
        awaitQuestion(2);
        assertThat(other).isNotDone();
        assertThat(registry.count()).isEqualTo(1);
        for (ApprovalQueueFiles.Request q : questions().stream().filter(q -> !q.id().equals(question.id())).toList()) {
            decide(q, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        }
        assertThat(other.get().statusCode()).isEqualTo(403);
    }

    @Test
    void aQuestionShowsTheRequestTheAddressesAndThatTheyArePrivateAndWhoAsked() throws Exception {
        startAsking(Duration.ofSeconds(20));

        get(url("/pkg/x?secret=1"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);

        assertThat(question.asker()).isEqualTo(ApprovalQueueFiles.Asker.GATEWAY);
        ApprovalQueueFiles.Egress egress = question.egress().orElseThrow();
        assertThat(egress.host()).isEqualTo(REGISTRY);
        assertThat(egress.port()).isEqualTo(registry.port());
        assertThat(egress.method()).isEqualTo("GET");
        assertThat(egress.path()).isEqualTo("/pkg/x");
        assertThat(egress.addresses()).containsExactly(local.getHostAddress());
        assertThat(egress.privateNetwork()).isEqualTo(local.isSiteLocalAddress());
        assertThat(question.details()).contains(egress.resolved());
        decide(question, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
    }

    @Test
    void aGrantAtPrivateAddressesDoesNotFollowTheNameToAnotherOne() throws Exception {
        InetAddress internal = TestUpstream.privateAddress();
        TestUpstream inside = TestUpstream.http("inside.ask.test", internal);
        try {
            gw.rebind("inside.ask.test", internal.getHostAddress());
            startAsking(Duration.ofSeconds(20));
            String url = "http://inside.ask.test:" + inside.port();

            var first = get(url + "/a");
            ApprovalQueueFiles.Request question = awaitQuestion(1);
            assertThat(question.egress().orElseThrow().privateNetwork()).isTrue();
            assertThat(question.details()).contains("PRIVATE NETWORK").contains("at these addresses only");
            decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);
            assertThat(first.get().statusCode()).isEqualTo(200);
            // the name moves to another private address, as to the Docker host at the egress network's gateway
            gw.rebind("inside.ask.test", "10.11.12.13");

            HttpResponse<String> moved = get(url + "/b").get();
            assertThat(moved.statusCode()).isEqualTo(403);
            assertThat(moved.body()).contains("not to the private-network addresses a person approved");
            assertThat(inside.count()).isEqualTo(1);
        } finally {
            inside.close();
        }
    }

    @Test
    void throughAnUpstreamProxyAGrantAtPrivateAddressesIsReachedAtThoseAddresses() throws Exception {
        InetAddress internal = TestUpstream.privateAddress();
        TestUpstream inside = TestUpstream.http("inside.ask.test", internal);
        GatewayFixture corp = new GatewayFixture(temp.resolve("corp"), Map.of("inside.ask.test", "127.0.0.1",
                internal.getHostAddress(), internal.getHostAddress()));
        try {
            // the proxy would take the name elsewhere; it is sent the address the person approved
            corp.start(policy(List.of(allow("inside.ask.test", inside.port()), allow(internal.getHostAddress(),
                    inside.port())), List.of()));
            gw.rebind("inside.ask.test", internal.getHostAddress());
            gw.startAsking(new GatewayPolicy(List.of(), List.of(), dev.claudebottle.spi.manifest.DlpAction.BLOCK,
                    List.of(), Optional.of("http://127.0.0.1:" + corp.address.getPort()), Optional.empty())
                    .unknown(UnknownAction.ASK, Duration.ofSeconds(20)), queue);

            var waiting = get("http://inside.ask.test:" + inside.port() + "/a");
            ApprovalQueueFiles.Request question = awaitQuestion(1);
            assertThat(question.details()).contains("through the upstream proxy 127.0.0.1:" + corp.address.getPort());
            decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);

            assertThat(waiting.get().statusCode()).isEqualTo(200);
            assertThat(inside.count()).isEqualTo(1);
            gw.close(); // the proxy writes its tunnel's line when the tunnel closes
            Await.until(Duration.ofSeconds(5), "the corporate proxy's line", () -> !corp.auditLines().isEmpty());
            assertThat(String.join("\n", corp.auditLines())).contains("\"host\":\"" + internal.getHostAddress() + "\"")
                    .doesNotContain("\"host\":\"inside.ask.test\"");
        } finally {
            corp.close();
            inside.close();
        }
    }

    @Test
    void throughAnUpstreamProxyAPublicGrantStaysPublic() throws Exception {
        GatewayFixture corp = new GatewayFixture(temp.resolve("corp"), Map.of("rebind.ask.test", "127.0.0.1"));
        try {
            // the proxy would take the name to loopback; the grant was for a public address
            corp.start(policy(List.of(allow("rebind.ask.test", 8080)), List.of()));
            gw.startAsking(new GatewayPolicy(List.of(), List.of(), dev.claudebottle.spi.manifest.DlpAction.BLOCK,
                    List.of(), Optional.of("http://127.0.0.1:" + corp.address.getPort()), Optional.empty())
                    .unknown(UnknownAction.ASK, Duration.ofSeconds(20)), queue);

            var waiting = get("http://rebind.ask.test:8080/");
            ApprovalQueueFiles.Request question = awaitQuestion(1);
            assertThat(question.egress().orElseThrow().privateNetwork()).isFalse();
            gw.rebind("rebind.ask.test", "10.11.12.13");
            decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);

            HttpResponse<String> refused = waiting.get();
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("X-Claude-Bottle-Reason")).contains("ssrf");
        } finally {
            corp.close();
        }
    }

    @Test
    void aRevokedGrantIsAskedAboutAgain() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var first = get(url("/a"));
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(first.get().statusCode()).isEqualTo(200);
        revoke(question);

        var second = get(url("/b"));
        ApprovalQueueFiles.Request again = awaitQuestion(2);
        assertThat(second).isNotDone();
        decide(again, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(second.get().statusCode()).isEqualTo(403);
        assertThat(registry.count()).isEqualTo(1);
    }

    @Test
    void aTunnelOpenedUnderAGrantIsClosedWhenTheGrantIsRevoked() throws Exception {
        startAsking(Duration.ofSeconds(20));
        String target = REGISTRY + ":" + registry.port();
        try (java.net.Socket tunnel = new java.net.Socket(gw.address.getAddress(), gw.address.getPort())) {
            tunnel.setSoTimeout(10_000);
            tunnel.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            ApprovalQueueFiles.Request question = awaitQuestion(1);
            decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(tunnel.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            while (!in.readLine().isEmpty()) {
                // the rest of the tunnel's answer
            }

            revoke(question);

            assertThat(in.read()).as("the tunnel ends with its grant").isEqualTo(-1);
        }
        Await.until(Duration.ofSeconds(5), "the revocation's line",
                () -> gw.auditLines().stream().anyMatch(l -> l.contains("\"decision\":\"revoked\"")));
        assertThat(gw.auditLines()).anySatisfy(l -> assertThat(l).contains("\"decision\":\"revoked\"")
                .contains("1 connection(s) it let open were closed"));
    }

    @Test
    void aRefusedHostStaysRefusedUnderEverySpellingAndPort() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var waiting = get(url("/pkg"));
        decide(awaitQuestion(1), ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(waiting.get().statusCode()).isEqualTo(403);

        for (String target : List.of(REGISTRY.toUpperCase() + ".:" + registry.port(), REGISTRY + ":443",
                REGISTRY + ":8080")) {
            String answer = connect(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 403").contains("refused-by-person");
            String plain = plainGet(target, "/x");
            assertThat(plain).as(target).startsWith("HTTP/1.1 403").contains("refused-by-person");
        }
        assertThat(questions()).hasSize(1);
    }

    @Test
    void aRefusedAddressStaysRefusedUnderEverySpellingOfIt() throws Exception {
        startAsking(Duration.ofSeconds(20));
        byte[] a = local.getAddress();
        String dotted = local.getHostAddress();

        String first = dotted + ":" + registry.port();
        var waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return connect(first);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        decide(awaitQuestion(1), ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        assertThat(waiting.get()).startsWith("HTTP/1.1 403");

        String threeParts = (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (((a[2] & 0xff) << 8) | (a[3] & 0xff));
        for (String spelling : List.of("[::ffff:" + dotted + "]", threeParts, "0" + dotted)) {
            String answer = connect(spelling + ":443");
            assertThat(answer).as(spelling).startsWith("HTTP/1.1 403").contains("refused-by-person");
        }
        assertThat(questions()).hasSize(1);
    }

    @Test
    void aHostNobodyAnsweredAboutIsNotAskedAboutAgainAtOnce() throws Exception {
        startAsking(Duration.ofMillis(600));

        assertThat(get(url("/pkg")).get().statusCode()).isEqualTo(403);
        HttpResponse<String> again = get(url("/pkg")).get();

        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("X-Claude-Bottle-Reason")).contains("ask-expired");
        assertThat(again.body()).contains("is not asked about again before");
        assertThat(questions()).hasSize(1);
    }

    @Test
    void aPathThatCarriesASecretIsRefusedWithoutAQuestionAndKeptOutOfTheRecord() throws Exception {
        startAsking(Duration.ofSeconds(20));
        String key = SecretSamples.BY_PATTERN.get("aws-access-key-id");

        HttpResponse<String> r = get(url("/upload/" + key)).get();

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(questions()).isEmpty();
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(key);
        assertThat(gw.lookups).as("nothing was looked up for it").doesNotContain(REGISTRY);
    }

    @Test
    void namesBuiltToCarryDataAreNotLookedUpBeforeAPersonAnswers() throws Exception {
        startAsking(Duration.ofSeconds(20));

        for (String name : List.of("mysecretpasswordishere.exfil.test", "deadbeefcafe.exfil.test",
                "a.b.c.d.exfil.test", "x1234567.exfil.test", "a".repeat(25) + ".exfil.test")) {
            String target = name + ":80";
            String answer = connect(target);
            assertThat(answer).as(name).startsWith("HTTP/1.1 403").contains("nothing was looked up");
            String plain = plainGet(target, "/");
            assertThat(plain).as(name).startsWith("HTTP/1.1 403");
        }
        assertThat(gw.lookups).isEmpty();
        assertThat(questions()).isEmpty();
    }

    @Test
    void atMostTenNewNamesAMinuteAreLookedUp() throws Exception {
        startAsking(Duration.ofSeconds(20));

        for (int i = 0; i < LookupBudget.PER_MINUTE + 5; i++) {
            String target = "name" + (char) ('a' + i) + ".flood.test:80";
            connect(target);
        }

        assertThat(gw.lookups).hasSize(LookupBudget.PER_MINUTE);
        assertThat(questions()).isEmpty();
    }

    @Test
    void aTunnelToAnApprovedHostIsNotDecrypted() throws Exception {
        TestUpstream tls = TestUpstream.https(REGISTRY, gw.upstreamCa, local);
        try {
            startAsking(Duration.ofSeconds(20));
            // a client that trusts only the upstream's CA succeeds only through an undecrypted tunnel
            var waiting = gw.client(false, true).sendAsync(HttpRequest.newBuilder(URI.create("https://" + REGISTRY
                    + ":" + tls.port() + "/secure")).build(), HttpResponse.BodyHandlers.ofString());
            ApprovalQueueFiles.Request question = awaitQuestion(1);
            assertThat(question.title()).contains("CONNECT");
            decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);
            assertThat(waiting.get().statusCode()).isEqualTo(200);
            assertThat(tls.count()).isEqualTo(1);
        } finally {
            tls.close();
        }
    }

    @Test
    void aLearningGatewayReachesNoPrivateAddressAndAsksNobody() throws Exception {
        gw.rebind("lan.ask.test", "10.11.12.13");
        gw.rebind("10.11.12.13", "10.11.12.13");
        gw.rebind("172.17.0.1", "172.17.0.1");
        gw.startAsking(policy(List.of(), List.of()).unknown(UnknownAction.LEARN, Duration.ofSeconds(20)), queue);

        for (String target : List.of("lan.ask.test:80", "10.11.12.13:8080", "172.17.0.1:2375", "loop.ask.test:80",
                "metadata.ask.test:80")) {
            String answer = plainGet(target, "/");
            assertThat(answer).as(target).startsWith("HTTP/1.1 403").contains("X-Claude-Bottle-Reason: ssrf");
        }
        assertThat(registry.count()).isZero();
        assertThat(questions()).isEmpty();
    }

    @Test
    void aLearningGatewayLetsAnUnknownHostThroughDecryptedToPublicAddressesOnly() {
        CompiledPolicy learning = CompiledPolicy.of(policy(List.of(), List.of()).unknown(UnknownAction.LEARN,
                Duration.ofSeconds(20)));
        Decision ruled = learning.rules().request("GET", REGISTRY, 443, "/");
        try (EgressAsks asks = new EgressAsks(Optional.empty(), host -> List.of(local), null, "test-0001")) {
            Decision learned = asks.decide(ruled, learning, REGISTRY, 443, "GET", "/").join();

            assertThat(learned.allowed()).isTrue();
            assertThat(learned.rule()).isEqualTo("egress.unknown: learn");
            assertThat(learned.intercept()).as("decrypted, so every request is audited").isTrue();
            assertThat(learned.reach()).isEqualTo(Reach.PUBLIC);
        }
    }

    @Test
    void aHostGrantedWhileItResolvedPubliclyMayNotRebindIntoAPrivateNetwork() throws Exception {
        startAsking(Duration.ofSeconds(20));

        var waiting = get("http://rebind.ask.test:" + registry.port() + "/");
        ApprovalQueueFiles.Request question = awaitQuestion(1);
        assertThat(question.details()).contains("198.51.100.7").doesNotContain("private-network");
        // the person approves what was shown; the name then answers with an internal address
        gw.rebind("rebind.ask.test", "10.11.12.13");
        decide(question, ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);

        HttpResponse<String> refused = waiting.get();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("X-Claude-Bottle-Reason")).contains("ssrf");
        HttpResponse<String> later = get("http://rebind.ask.test:" + registry.port() + "/").get();
        assertThat(later.headers().firstValue("X-Claude-Bottle-Reason")).as("the grant stays public").contains("ssrf");
    }

    @Test
    void loopbackMetadataAndLiteralInternalAddressesAreNeverAskedAbout() throws Exception {
        startAsking(Duration.ofSeconds(20));

        for (String target : List.of("loop.ask.test:80", "metadata.ask.test:80", "127.0.0.1:80",
                "169.254.169.254:80", "[::1]:80")) {
            String answer = connect(target);
            assertThat(answer).as(target).startsWith("HTTP/1.1 403").contains("X-Claude-Bottle-Reason: ssrf")
                    .contains("nobody was asked");
        }
        assertThat(questions()).isEmpty();
    }

    @Test
    void theFencesProbeHostIsRefusedWithoutAsking() throws Exception {
        startAsking(Duration.ofSeconds(20));

        String answer = gw.raw("CONNECT " + BundleLayout.PROBE_HOST + ":443 HTTP/1.1\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403").contains("X-Claude-Bottle-Reason: unknown-host");
        assertThat(questions()).isEmpty();
    }

    @Test
    void atMostEightQuestionsWaitAtOnceAndTheNextIsRefusedAtOnce() throws Exception {
        startAsking(Duration.ofSeconds(5));
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < EgressAsks.MAX_OPEN; i++) {
            waiting.add(get("http://h" + i + ".ask.test:" + registry.port() + "/"));
        }
        awaitQuestion(EgressAsks.MAX_OPEN);

        String host = "h" + EgressAsks.MAX_OPEN + ".ask.test:" + registry.port();
        String answer = plainGet(host, "/");

        assertThat(answer).startsWith("HTTP/1.1 403").contains("X-Claude-Bottle-Reason: ask-limit");
        assertThat(questions()).hasSize(EgressAsks.MAX_OPEN);
        for (ApprovalQueueFiles.Request q : questions()) {
            decide(q, ApprovalQueueFiles.State.DENIED, ApprovalQueueFiles.Scope.BOTTLE);
        }
        for (var w : waiting) {
            assertThat(w.get().statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aMethodOrPathRefusalOfAKnownHostIsNotAskedAbout() throws Exception {
        gw.startAsking(policy(List.of(allow(REGISTRY, registry.port(), List.of("GET"), List.of(), false)), List.of())
                .unknown(UnknownAction.ASK, Duration.ofSeconds(20)), queue);

        HttpResponse<String> post = gw.client(false, false).send(HttpRequest.newBuilder(URI.create(url("/x")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.headers().firstValue("X-Claude-Bottle-Reason")).contains("method-not-allowed");
        assertThat(questions()).isEmpty();
    }

    @Test
    void withoutAQueueAnUnknownHostIsRefusedSayingNobodyCanBeAsked() throws Exception {
        gw.start(policy(List.of(), List.of()).unknown(UnknownAction.ASK, Duration.ofSeconds(20)));

        HttpResponse<String> r = gw.client(false, false).send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-Claude-Bottle-Reason")).contains("no-approval-queue");
    }

    @Test
    void withUnknownDenyTheRefusalNamesTheRuleAndWhatTheAgentMayDo() throws Exception {
        gw.startAsking(policy(List.of(), List.of()), queue);

        HttpResponse<String> r = gw.client(false, false).send(HttpRequest.newBuilder(URI.create(url("/"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-Claude-Bottle-Reason")).contains("unknown-host");
        assertThat(r.body()).contains("host " + REGISTRY + " is not allowed").contains("rule: default deny")
                .contains("What you can do: use a host this bottle allows").contains("request_approval");
        assertThat(questions()).isEmpty();
    }

    @Test
    void aClientThatGivesUpWhileWaitingLeavesTheGatewayServingTheNextOne() throws Exception {
        startAsking(Duration.ofSeconds(20));
        String target = REGISTRY + ":" + registry.port();
        try (java.net.Socket impatient = new java.net.Socket(gw.address.getAddress(), gw.address.getPort())) {
            impatient.getOutputStream().write(("GET http://" + target + "/slow HTTP/1.1\r\nHost: " + target
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            impatient.getOutputStream().flush();
            awaitQuestion(1);
        }
        decide(questions().get(0), ApprovalQueueFiles.State.APPROVED, ApprovalQueueFiles.Scope.BOTTLE);

        HttpResponse<String> after = get(url("/after")).get();
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("hello from " + REGISTRY + "\n");
    }
}
