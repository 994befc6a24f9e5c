package dev.claudebottle.bundle.gateway;

import static dev.claudebottle.bundle.gateway.GatewayFixture.PLACEHOLDER;
import static dev.claudebottle.bundle.gateway.GatewayFixture.REAL_KEY;
import static dev.claudebottle.bundle.gateway.GatewayFixture.allow;
import static dev.claudebottle.bundle.gateway.GatewayFixture.policy;
import static dev.claudebottle.bundle.gateway.GatewayFixture.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway as curl sees it: the client most scripts in a bottle use. */
class GatewayCurlTest {
    @TempDir
    Path temp;
    GatewayFixture gw;
    final List<TestUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        gw.close();
        upstreams.forEach(TestUpstream::close);
    }

    private String curl(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-x",
                "http://127.0.0.1:" + gw.address.getPort(), "--cacert", gw.curlCaBundle().toString(),
                "-w", "\n%{http_code}"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void curlGetsTheInjectedCredentialThroughAndIsBlockedElsewhere() throws Exception {
        gw = new GatewayFixture(temp, Map.of("api.upstream.test", "127.0.0.1", "plain.upstream.test", "127.0.0.1",
                "evil.upstream.test", "127.0.0.1"));
        TestUpstream api = TestUpstream.https("api.upstream.test", gw.upstreamCa);
        TestUpstream plain = TestUpstream.https("plain.upstream.test", gw.upstreamCa);
        upstreams.addAll(List.of(api, plain));
        gw.start(policy(List.of(allow("plain.upstream.test", plain.port())),
                List.of(route("api.upstream.test", api.port(), "x-api-key"))));

        String routed = curl("-H", "x-api-key: " + PLACEHOLDER, "https://api.upstream.test:" + api.port() + "/v1/x");
        String tunnelled = curl("https://plain.upstream.test:" + plain.port() + "/");
        String blocked = curl("https://evil.upstream.test:" + api.port() + "/");

        assertThat(routed).endsWith("\n200").contains("hello from api.upstream.test");
        assertThat(api.seen.get(0).header("x-api-key")).isEqualTo(REAL_KEY);
        assertThat(tunnelled).endsWith("\n200");
        assertThat(blocked).contains("403");
        assertThat(routed + tunnelled + blocked).doesNotContain(REAL_KEY);
    }
}
