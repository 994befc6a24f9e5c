package dev.claudebottle.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static final String VALUE = "sk-ant-api03-realvalue";

    @Test
    void neverShowsItsValueInText() {
        Secret s = Secret.of(VALUE);
        assertThat(s.toString()).isEqualTo("***");
        assertThat(String.valueOf(List.of(s))).doesNotContain(VALUE);
        assertThat(String.valueOf(Map.of("k", s))).doesNotContain(VALUE);
        assertThat(s.reveal()).isEqualTo(VALUE);
    }

    @Test
    void recordsHoldingASecretDoNotPrintIt() {
        BundleEnv env = BundleEnv.secret("CLAUDE_BOTTLE_ROUTE_0", Secret.of(VALUE));
        assertThat(env.toString()).doesNotContain(VALUE);
        assertThat(env.display()).isEqualTo("***");
        assertThat(Contribution.builder().bundleEnv(env).build().toString()).doesNotContain(VALUE);
    }
}
