package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostEnvironmentTest {
    @Test
    void aFixedEnvironmentKeepsItsOwnCopyAndNeverPrintsAValue() {
        Map<String, String> values = new HashMap<>(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret-value"));
        HostEnvironment env = HostEnvironment.of(values);
        values.clear();

        assertThat(env.get("ANTHROPIC_API_KEY")).contains("sk-ant-secret-value");
        assertThat(env.get("MISSING")).isEmpty();
        assertThat(env.all()).containsOnlyKeys("ANTHROPIC_API_KEY");
        assertThat(env.toString()).isEqualTo("HostEnvironment[1 variables]").doesNotContain("sk-ant");
    }
}
