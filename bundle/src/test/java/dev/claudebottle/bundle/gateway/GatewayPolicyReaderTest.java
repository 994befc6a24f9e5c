package dev.claudebottle.bundle.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import dev.claudebottle.bundle.trust.TrustFileReader;
import dev.claudebottle.contract.BundleBase;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.TrustFile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.manifest.RouteResolver;
import dev.claudebottle.provision.gateway.GatewayProvisioner;
import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.Contribution;
import dev.claudebottle.spi.HostEnvironment;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy the kernel writes is the policy the gateway reads. */
class GatewayPolicyReaderTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String KEY = "sk-ant-api03-gateway-only";
    @TempDir
    Path dir;

    private Contribution kernelWrites() throws Exception {
        Manifest m = new ManifestReader(dir.resolve("host-cas")).read("bottle.yaml", dir, """
                version: 1
                bottles:
                  web:
                    egress:
                      allow:
                        - host: "*.upstream.test"
                        - host: api.upstream.test
                          methods: [GET]
                          paths: ["/repos/"]
                          ports: [8443]
                          private: true
                      routes:
                        - host: llm.upstream.test
                          paths: ["/v1/"]
                          header: x-api-key
                          value: "${ANTHROPIC_API_KEY}"
                          placeholder: {env: ANTHROPIC_API_KEY, value: bottle-placeholder}
                      dlp: {action: warn, patterns: [{name: corp, regex: "corp_[0-9]+"}]}
                agents:
                  a: {bottle: web}
                """);
        var routes = new RouteResolver(HostEnvironment.of(Map.of("ANTHROPIC_API_KEY", KEY)), e -> { })
                .resolve(m.bottles().get("web").egress().routes());
        LaunchSpec spec = new LaunchSpec("a-0001", m.agents().get("a"), m.bottles().get("web"), dir,
                dir.resolve("state"), Optional.empty(), "docker", "/home/node", false, routes);
        // the bundle base writes the trust file, the gateway's plugin the policy
        BundleBase.contribute(spec, JSON::writeValueAsBytes).steps().get(0).action().run(null);
        Contribution c = new GatewayProvisioner().contribute(spec);
        c.steps().get(0).action().run(null);
        return c;
    }

    private static Map<String, String> bundleEnv(Contribution c) {
        Map<String, String> env = new HashMap<>();
        for (BundleEnv e : c.bundleEnv()) {
            env.put(e.name(), e.value().orElseGet(() -> e.secret().orElseThrow().reveal()));
        }
        return env;
    }

    @Test
    void readsEveryRuleTheKernelWrote() throws Exception {
        Contribution c = kernelWrites();
        Path file = dir.resolve("state/gateway/policy.json");
        assertThat(Files.readString(file)).doesNotContain(KEY);

        GatewayPolicy policy = new GatewayPolicyReader(bundleEnv(c), TrustFileReader.read(dir.resolve("state")
                .resolve(BundleBase.HOST_DIR).resolve(BundleLayout.TRUST_FILE_NAME))).read(file);

        assertThat(policy.allow()).hasSize(2);
        assertThat(policy.allow().get(0).host().wildcard()).isTrue();
        assertThat(policy.allow().get(1).ports()).containsExactly(8443);
        assertThat(policy.allow().get(1).methods()).containsExactly("GET");
        assertThat(policy.allow().get(1).allowPrivate()).isTrue();
        assertThat(policy.routes()).singleElement().satisfies(r -> {
            assertThat(r.header()).isEqualTo("x-api-key");
            assertThat(r.credential().value().join().reveal()).isEqualTo(KEY);
            assertThat(r.placeholder()).contains("bottle-placeholder");
            assertThat(r.paths()).containsExactly("/v1/");
            assertThat(r.toString()).doesNotContain(KEY);
        });
        assertThat(policy.dlpAction()).isEqualTo(DlpAction.WARN);
        assertThat(policy.dlpPatterns()).singleElement().satisfies(p -> assertThat(p.name()).isEqualTo("corp"));
        assertThat(policy.toString()).doesNotContain(KEY);
    }

    @Test
    void aRouteWhoseVariableIsNotSetIsUnboundAndRefusesNamingTheVariable() throws Exception {
        kernelWrites();
        GatewayPolicy policy = new GatewayPolicyReader(Map.of(), TrustFile.NONE)
                .read(dir.resolve("state/gateway/policy.json"));

        assertThat(policy.routes()).singleElement().satisfies(r -> {
            assertThat(r.credential().bound()).isFalse();
            assertThat(r.credential().known()).isEmpty();
            assertThatThrownBy(() -> r.credential().value().join()).hasCauseInstanceOf(CredentialUnbound.class)
                    .hasMessageContaining("CLAUDE_BOTTLE_ROUTE_0");
        });
        assertThat(PolicyReloader.loaded(policy, Optional.empty())).endsWith("1 without its value, refused until bound");
    }
}
