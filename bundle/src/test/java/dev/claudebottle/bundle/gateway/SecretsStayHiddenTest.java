package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import dev.claudebottle.contract.TrustFile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No route value in toString(), exception messages or decisions. */
class SecretsStayHiddenTest {
    @TempDir
    Path temp;

    @Test
    void policyRecordsAndDecisionsPrintNoValue() {
        GatewayPolicy policy = GatewayFixture.policy(List.of(),
                List.of(GatewayFixture.route("api.upstream.test", 443, "x-api-key")));
        Decision d = new EgressRules(policy).request("POST", "api.upstream.test", 443, "/v1/messages");
        assertThat(d.route()).isPresent();
        assertThat(policy.toString()).doesNotContain(GatewayFixture.REAL_KEY).contains("***");
        assertThat(d.toString()).doesNotContain(GatewayFixture.REAL_KEY);
        assertThat(CompiledPolicy.of(policy).toString()).doesNotContain(GatewayFixture.REAL_KEY);
    }

    @Test
    void readerErrorsNameTheVariableNotTheValue() throws Exception {
        Path file = temp.resolve("policy.json");
        Files.writeString(file, "{\"version\":2,\"allow\":[],\"routes\":[{\"host\":\"api.upstream.test\","
                + "\"header\":\"x-api-key\",\"value_env\":\"CLAUDE_BOTTLE_ROUTE_0\"}]}");
        GatewayPolicy unbound = new GatewayPolicyReader(Map.of("OTHER", GatewayFixture.REAL_KEY), TrustFile.NONE)
                .read(file);
        assertThatThrownBy(() -> unbound.routes().get(0).credential().value().join())
                .hasMessageContaining("CLAUDE_BOTTLE_ROUTE_0")
                .hasMessageNotContaining(GatewayFixture.REAL_KEY);
        assertThat(unbound.toString()).doesNotContain(GatewayFixture.REAL_KEY);
        GatewayPolicy ok = new GatewayPolicyReader(Map.of("CLAUDE_BOTTLE_ROUTE_0", GatewayFixture.REAL_KEY),
                TrustFile.NONE).read(file);
        assertThat(ok.toString()).doesNotContain(GatewayFixture.REAL_KEY);
    }
}
