package dev.claudebottle.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.spi.manifest.DlpAction;
import dev.claudebottle.spi.manifest.HostPattern;
import dev.claudebottle.spi.manifest.UnknownAction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
    private static final PolicyFile FULL = new PolicyFile(
            List.of(new PolicyFile.Rule(new HostPattern("*.upstream.test"), List.of(), List.of(), List.of(), false),
                    new PolicyFile.Rule(new HostPattern("api.upstream.test"), List.of(8443), List.of("GET"), List.of("/repos/"), true)),
            List.of(new PolicyFile.RouteEntry(new PolicyFile.Rule(new HostPattern("llm.upstream.test"), List.of(), List.of(),
                    List.of("/v1/"), false), "x-api-key", "CLAUDE_BOTTLE_ROUTE_0", Optional.of("bottle-placeholder"),
                    false),
                    new PolicyFile.RouteEntry(new PolicyFile.Rule(new HostPattern("plain.upstream.test"), List.of(80), List.of(),
                            List.of(), false), "authorization", "CLAUDE_BOTTLE_ROUTE_1", Optional.empty(), true)),
            DlpAction.WARN, Optional.of("http://proxy.test:3128"), UnknownAction.ASK, java.time.Duration.ofSeconds(90));

    @Test
    void whatIsWrittenIsWhatIsRead() {
        assertThat(PolicyFile.fromJson(FULL.toJson())).isEqualTo(FULL);
        PolicyFile bare = new PolicyFile(List.of(), List.of(), DlpAction.BLOCK, Optional.empty());
        assertThat(PolicyFile.fromJson(bare.toJson())).isEqualTo(bare);
    }

    @Test
    void aRouteNamesTheVariableThatHoldsItsValue() {
        Map<String, Object> tree = FULL.toJson();
        assertThat(tree).containsEntry("version", PolicyFile.VERSION);
        assertThat((List<?>) tree.get("routes")).first().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("value_env", "CLAUDE_BOTTLE_ROUTE_0").containsEntry("header", "x-api-key")
                .containsEntry("paths", List.of("/v1/"));
    }

    @Test
    void anotherVersionIsRefused() {
        Map<String, Object> tree = new HashMap<>(FULL.toJson());
        tree.put("version", 1);
        assertThatThrownBy(() -> PolicyFile.fromJson(tree)).as("the format that carried the DLP patterns")
                .hasMessage("it is not a version 2 policy");
        assertThatThrownBy(() -> PolicyFile.fromJson(List.of())).hasMessage("the policy is not an object");
        Map<String, Object> asking = new HashMap<>(FULL.toJson());
        asking.put("unknown", "maybe");
        assertThatThrownBy(() -> PolicyFile.fromJson(asking)).hasMessage("unknown is not deny, ask or learn");
        asking.put("unknown", "ask");
        asking.put("ask_timeout_ms", 1.5);
        assertThatThrownBy(() -> PolicyFile.fromJson(asking)).hasMessage("ask_timeout_ms is not a whole number");
        asking.put("ask_timeout_ms", 0);
        assertThatThrownBy(() -> PolicyFile.fromJson(asking)).hasMessage("ask_timeout_ms is not positive");
    }

    @Test
    void aMalformedPartIsNamedByWhereItIs() {
        Map<String, Object> tree = new HashMap<>(FULL.toJson());
        tree.put("allow", List.of(Map.of("host", "a.test", "ports", List.of("443"))));
        assertThatThrownBy(() -> PolicyFile.fromJson(tree)).hasMessage("allow[0].ports is not a list of numbers");
        tree.put("allow", List.of(Map.of("host", "bad host!")));
        assertThatThrownBy(() -> PolicyFile.fromJson(tree)).hasMessageStartingWith("allow[0].host: ");
        tree.put("allow", List.of());
        tree.put("routes", List.of(Map.of("host", "a.test", "header", 7, "value_env", "X")));
        assertThatThrownBy(() -> PolicyFile.fromJson(tree)).hasMessage("routes[0].header is not a string");
        tree.put("routes", List.of(Map.of("host", "a.test", "header", "h", "value_env", "X", "plain_http", "yes")));
        assertThatThrownBy(() -> PolicyFile.fromJson(tree)).hasMessage("routes[0].plain_http is not true or false");
    }
}
