package dev.claudebottle.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueTemplateTest {
    private final Map<String, String> env = Map.of("TOKEN", "t0k", "USER", "me");

    @Test
    void resolvesReferencesAndKeepsLiterals() {
        ValueTemplate t = ValueTemplate.parse("Bearer ${TOKEN} for ${USER}!");
        assertThat(t.variables()).containsExactly("TOKEN", "USER");
        assertThat(t.resolve(k -> Optional.ofNullable(env.get(k)))).contains("Bearer t0k for me!");
    }

    @Test
    void missingVariableResolvesToNothingAndIsNamed() {
        ValueTemplate t = ValueTemplate.parse("${USER}:${NOPE}");
        assertThat(t.resolve(k -> Optional.ofNullable(env.get(k)))).isEmpty();
        assertThat(t.firstMissing(k -> Optional.ofNullable(env.get(k)))).contains("NOPE");
    }

    @Test
    void malformedReferencesAreRefused() {
        assertThatThrownBy(() -> ValueTemplate.parse("x ${OPEN")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ValueTemplate.parse("${1X}")).hasMessageContaining("not a valid variable");
    }
}
