package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.BundleEnv;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the host writes with a variable is what the bundle reads back with it. */
class BundleVariablesTest {
    private static Map<String, String> env(BundleEnv... entries) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>();
        for (BundleEnv e : entries) {
            env.put(e.name(), e.value().orElseThrow());
        }
        return env;
    }

    @Test
    void everyKindOfValueSurvivesTheTripThroughTheEnv() {
        Map<String, String> env = env(BundleVariables.SLUG.entry("coder-0001"),
                BundleVariables.DAEMONS.entry(List.of(BundleLayout.GATEWAY, BundleLayout.SUPERVISE)),
                BundleVariables.GATEWAY_PORT.entry(18888),
                BundleVariables.SUPERVISE_TIMEOUT.entry(Duration.ofSeconds(90)),
                BundleVariables.GIT_CONFIG.entry("/data/repos.json"));

        assertThat(BundleVariables.SLUG.read(env)).isEqualTo("coder-0001");
        assertThat(BundleVariables.DAEMONS.read(env)).containsExactly("gateway", "supervise");
        assertThat(BundleVariables.GATEWAY_PORT.read(env)).isEqualTo(18888);
        assertThat(BundleVariables.SUPERVISE_TIMEOUT.read(env)).isEqualTo(Duration.ofSeconds(90));
        assertThat(BundleVariables.GIT_CONFIG.read(env)).isEqualTo("/data/repos.json");
    }

    @Test
    void withoutAnEntryTheBundleAssumesTheLayoutsPathsAndPorts() {
        Map<String, String> none = Map.of();
        assertThat(BundleVariables.GATEWAY_POLICY.read(none)).isEqualTo(BundleLayout.POLICY_FILE);
        assertThat(BundleVariables.CA_DIR.read(none)).isEqualTo(BundleLayout.CA_DIR);
        assertThat(BundleVariables.AUDIT_LOG.read(none)).isEqualTo(BundleLayout.AUDIT_LOG);
        assertThat(BundleVariables.GIT_CONFIG.read(none)).isEqualTo(BundleLayout.GIT_CONFIG);
        assertThat(BundleVariables.APPROVAL_QUEUE.read(none)).isEqualTo(BundleLayout.APPROVAL_QUEUE_DIR);
        assertThat(BundleVariables.GATEWAY_PORT.read(none)).isEqualTo(BundleLayout.GATEWAY_PORT);
        assertThat(BundleVariables.GIT_GATE_PORT.read(none)).isEqualTo(BundleLayout.GIT_GATE_PORT);
        assertThat(BundleVariables.SUPERVISE_PORT.read(none)).isEqualTo(BundleLayout.SUPERVISE_PORT);
        assertThat(BundleVariables.SUPERVISE_TIMEOUT.read(none)).isEqualTo(Duration.ofMinutes(10));
        assertThat(BundleVariables.LISTEN_SUBNET.readIfSet(none)).isEmpty();
        assertThat(BundleVariables.LISTEN_SUBNET.readIfSet(Map.of("CLAUDE_BOTTLE_LISTEN_SUBNET", " 10.9.0.0/24 ")))
                .contains("10.9.0.0/24");
    }

    @Test
    void whatTheBundleCannotDoWithoutFailsNamingTheVariable() {
        assertThatThrownBy(() -> BundleVariables.SLUG.read(Map.of("CLAUDE_BOTTLE_SLUG", "  ")))
                .hasMessage("CLAUDE_BOTTLE_SLUG is not set");
        assertThatThrownBy(() -> BundleVariables.DAEMONS.read(Map.of("CLAUDE_BOTTLE_DAEMONS", " , ")))
                .hasMessage("CLAUDE_BOTTLE_DAEMONS is not a comma-separated list of names");
    }

    @Test
    void aMalformedValueFailsNamingTheVariableNotEchoingTheValue() {
        String odd = "sk-ant-oops";
        assertThatThrownBy(() -> BundleVariables.GATEWAY_PORT.read(Map.of("CLAUDE_BOTTLE_GATEWAY_PORT", odd)))
                .hasMessage("CLAUDE_BOTTLE_GATEWAY_PORT is not a port number (1-65535)");
        assertThatThrownBy(() -> BundleVariables.GIT_GATE_PORT.read(Map.of("CLAUDE_BOTTLE_GIT_GATE_PORT", "70000")))
                .hasMessageContaining("CLAUDE_BOTTLE_GIT_GATE_PORT is not a port");
        assertThatThrownBy(() -> BundleVariables.SUPERVISE_TIMEOUT.read(Map.of("CLAUDE_BOTTLE_SUPERVISE_TIMEOUT", "0s")))
                .hasMessage("CLAUDE_BOTTLE_SUPERVISE_TIMEOUT is not a positive number of seconds like 600s")
                .hasMessageNotContaining(odd);
        assertThatThrownBy(() -> BundleVariables.SUPERVISE_TIMEOUT.read(Map.of("CLAUDE_BOTTLE_SUPERVISE_TIMEOUT", odd)))
                .hasMessageNotContaining(odd);
        assertThat(BundleVariables.SUPERVISE_TIMEOUT.read(Map.of("CLAUDE_BOTTLE_SUPERVISE_TIMEOUT", "45")))
                .isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void everyVariableHasItsOwnName() throws Exception {
        List<String> names = new ArrayList<>();
        for (Field f : BundleVariables.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == BundleVariable.class) {
                names.add(((BundleVariable<?>) f.get(null)).name());
            }
        }
        assertThat(names).hasSize(15).doesNotHaveDuplicates().allMatch(n -> n.startsWith("CLAUDE_BOTTLE_"));
        assertThat(Optional.of(BundleVariables.SLUG.toString())).contains("CLAUDE_BOTTLE_SLUG");
    }
}
