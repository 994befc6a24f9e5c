package dev.claudebottle.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.manifest.ManifestReader;
import dev.claudebottle.provision.ca.CaProvisioner;
import dev.claudebottle.provision.gateway.GatewayProvisioner;
import dev.claudebottle.spi.BundleEnv;
import dev.claudebottle.spi.LaunchSpec;
import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.contract.BundleVariables;
import dev.claudebottle.spi.manifest.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle reads its settings from the env the host's contributions give it. */
class BundleSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theGatewayAndTheCaContributionsGiveTheBundleTheirPathsAndPort() throws Exception {
        Manifest m = new ManifestReader(dir.resolve("host-cas")).read("bottle.yaml", dir, """
                version: 1
                bottles:
                  web: {}
                agents:
                  a: {bottle: web}
                """);
        LaunchSpec spec = new LaunchSpec("a-0001", m.agents().get("a"), m.bottles().get("web"), dir,
                dir.resolve("state"), Optional.empty(), "docker", "/home/node", false, List.of());
        Map<String, String> env = new HashMap<>();
        put(env, BundleVariables.SLUG.entry("a-0001"));
        put(env, BundleVariables.DAEMONS.entry(List.of(BundleLayout.GATEWAY)));
        new GatewayProvisioner().contribute(spec).bundleEnv().forEach(e -> put(env, e));
        new CaProvisioner().contribute(spec).bundleEnv().forEach(e -> put(env, e));

        BundleMain.BundleSettings settings = BundleMain.BundleSettings.from(env);

        assertThat(settings.slug()).isEqualTo("a-0001");
        assertThat(settings.daemons()).containsExactly(BundleLayout.GATEWAY);
        assertThat(settings.policyFile()).isEqualTo(Path.of(BundleLayout.POLICY_FILE));
        assertThat(settings.caDir()).isEqualTo(Path.of(BundleLayout.CA_DIR));
        assertThat(settings.auditLog()).isEqualTo(Path.of(BundleLayout.AUDIT_LOG));
        assertThat(settings.gatewayPort()).isEqualTo(BundleLayout.GATEWAY_PORT);
    }

    @Test
    void theSuperviseAndGitEntriesAreReadAsWritten() {
        Map<String, String> env = new HashMap<>();
        put(env, BundleVariables.SLUG.entry("b-0002"));
        put(env, BundleVariables.DAEMONS.entry(List.of(BundleLayout.GIT_GATE, BundleLayout.SUPERVISE)));
        put(env, BundleVariables.SUPERVISE_TIMEOUT.entry(Duration.ofSeconds(75)));
        put(env, BundleVariables.SUPERVISE_PORT.entry(19100));
        put(env, BundleVariables.GIT_GATE_PORT.entry(19418));

        BundleMain.BundleSettings settings = BundleMain.BundleSettings.from(env);

        assertThat(settings.daemons()).containsExactly("git-gate", "supervise");
        assertThat(settings.superviseTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(settings.supervisePort()).isEqualTo(19100);
        assertThat(settings.gitGatePort()).isEqualTo(19418);
        assertThat(settings.gitConfig()).isEqualTo(Path.of(BundleLayout.GIT_CONFIG));
        assertThat(settings.approvalQueue()).isEqualTo(Path.of(BundleLayout.APPROVAL_QUEUE_DIR));
    }

    @Test
    void aBundleWithoutItsNameDoesNotStart() {
        assertThatThrownBy(() -> BundleMain.BundleSettings.from(Map.of("CLAUDE_BOTTLE_DAEMONS", "gateway")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("CLAUDE_BOTTLE_SLUG is not set");
    }

    private static void put(Map<String, String> env, BundleEnv entry) {
        env.put(entry.name(), entry.value().orElseThrow());
    }
}
