package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.BoundEnv;
import dev.claudebottle.bundle.log.DaemonLog;
import dev.claudebottle.contract.BoundValues;
import dev.claudebottle.contract.PolicyFile;
import dev.claudebottle.contract.TrustFile;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Secret;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.HostPattern;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's value given to a running gateway, as a warm bottle is when claimed: until it is, the
 * route's requests are refused and nothing reaches its upstream; the next policy load binds it.
 */
class GatewayLateBindingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path temp;
    GatewayFixture gw;
    TestUpstream up;
    Path policyFile;
    Path boundFile;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PolicyReloader reloader;

    @BeforeEach
    void start() throws Exception {
        gw = new GatewayFixture(temp, Map.of("api.upstream.test", "127.0.0.1"));
        up = TestUpstream.https("api.upstream.test", gw.upstreamCa);
        policyFile = temp.resolve("gateway/policy.json");
        boundFile = temp.resolve("run/bound-values.json");
        Files.createDirectories(policyFile.getParent());
        Files.createDirectories(boundFile.getParent());
        PolicyFile policy = new PolicyFile(List.of(), List.of(new PolicyFile.RouteEntry(new PolicyFile.Rule(
                new HostPattern("api.upstream.test"), List.of(up.port()), List.of(), List.of(), true), "x-api-key",
                "CLAUDE_BOTTLE_ROUTE_0", Optional.of(PLACEHOLDER), false)), DlpAction.BLOCK, Optional.empty());
        JSON.writeValue(policyFile.toFile(), policy.toJson());
        reloader = new PolicyReloader(policyFile, new GatewayPolicyReader(new BoundEnv(Map.of("PATH", "/bin"),
                boundFile), TrustFile.NONE, Optional.empty()), gw.holder, new DaemonLog("gateway",
                new PrintStream(logged, true, StandardCharsets.UTF_8)));
        assertThat(reloader.reload()).isTrue();
        gw.start(gw.holder.get().source());
    }

    @AfterEach
    void stop() throws Exception {
        reloader.close();
        gw.close();
        up.close();
    }

    @Test
    void anUnboundRouteIsRefusedUntilItsValueIsBoundThenInjected() throws Exception {
        assertThat(log()).contains("1 route(s), 1 without its value, refused until bound");

        HttpResponse<String> before = call(Optional.of(PLACEHOLDER));
        HttpResponse<String> bare = call(Optional.empty());

        assertThat(before.statusCode()).isEqualTo(401);
        assertThat(before.body()).contains("CLAUDE_BOTTLE_ROUTE_0").contains("has not been bound");
        assertThat(bare.statusCode()).isEqualTo(401);
        assertThat(up.count()).as("requests that reached the route's upstream unbound").isZero();

        BoundValues given = bind(Map.of("CLAUDE_BOTTLE_ROUTE_0", REAL_KEY));
        assertThat(reloader.reload()).isTrue();
        HttpResponse<String> after = call(Optional.of(PLACEHOLDER));

        assertThat(log()).as("the load names the values it read, for the host to wait for")
                .contains("1 route(s), every route bound (values " + given.generation() + ")");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(up.seen).singleElement().satisfies(s -> assertThat(s.header("x-api-key")).isEqualTo(REAL_KEY));
        assertThat(after.body()).doesNotContain(REAL_KEY);
        assertThat(log()).doesNotContain(REAL_KEY);
        assertThat(String.join("\n", gw.auditLines())).doesNotContain(REAL_KEY);
    }

    @Test
    void aBoundValuesFileThatIsNotOneLeavesThePolicyInForceAndQuotesNothing() throws Exception {
        Files.writeString(boundFile, "{\"version\":1,\"generation\":\"00112233445566778899aabbccddeeff\","
                + "\"values\":{\"CLAUDE_BOTTLE_ROUTE_0\":[\"" + REAL_KEY + "\"]}}");

        assertThat(reloader.reload()).isFalse();

        assertThat(log()).contains("keeping the one in force").contains("not a file of values").doesNotContain(REAL_KEY);
        assertThat(call(Optional.of(PLACEHOLDER)).statusCode()).isEqualTo(401);
        assertThat(up.count()).isZero();
    }

    @Test
    void theBoundEnvKeepsTheProcessEnvAndReadsTheFileAnewEachTime() throws Exception {
        BoundEnv env = new BoundEnv(Map.of("PATH", "/bin"), boundFile);
        assertThat(env.get()).containsOnlyKeys("PATH");

        bind(Map.of("CLAUDE_BOTTLE_ROUTE_0", REAL_KEY));

        assertThat(env.get()).containsEntry("PATH", "/bin").containsEntry("CLAUDE_BOTTLE_ROUTE_0", REAL_KEY)
                .containsKey(BoundValues.GENERATION);
        assertThat(env.toString()).doesNotContain(REAL_KEY);
        Files.write(boundFile, new byte[(int) BoundValues.MAX_BYTES + 1]);
        assertThatThrownBy(env::get).isInstanceOf(BottleException.class).hasMessageContaining("larger than");
    }

    private BoundValues bind(Map<String, String> values) throws Exception {
        Map<String, Secret> secrets = new java.util.HashMap<>();
        values.forEach((k, v) -> secrets.put(k, Secret.of(v)));
        BoundValues bound = new BoundValues(secrets);
        assertThat(bound.toString()).doesNotContain(REAL_KEY);
        assertThat(bound.generation()).matches("[0-9a-f]{32}").isNotEqualTo(new BoundValues(secrets).generation());
        JSON.writeValue(boundFile.toFile(), bound.toJson());
        return bound;
    }

    private HttpResponse<String> call(Optional<String> key) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://api.upstream.test:" + up.port()
                + "/v1/messages"));
        key.ifPresent(k -> r.header("x-api-key", k));
        return gw.client(true, false).send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }
}
