package dev.claudebottle.spi.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPatternTest {
    @Test
    void exactHostMatchesOnlyItselfCaseInsensitively() {
        HostPattern p = new HostPattern("API.GitHub.com");
        assertThat(p.matches("api.github.com")).isTrue();
        assertThat(p.matches("api.github.com.")).isTrue();
        assertThat(p.matches("x.api.github.com")).isFalse();
        assertThat(p.matches("github.com")).isFalse();
    }

    @Test
    void wildcardMatchesSubdomainsButNeverTheApex() {
        HostPattern p = new HostPattern("*.githubusercontent.com");
        assertThat(p.matches("raw.githubusercontent.com")).isTrue();
        assertThat(p.matches("a.b.githubusercontent.com")).isTrue();
        assertThat(p.matches("githubusercontent.com")).isFalse();
        assertThat(p.matches("evilgithubusercontent.com")).isFalse();
    }

    @Test
    void invalidPatternsAreRefusedWithAReason() {
        assertThat(HostPattern.problem("*foo.com")).contains("wildcard");
        assertThat(HostPattern.problem("a..b")).contains("not a valid label");
        assertThat(HostPattern.problem("*.test")).contains("suffix with a dot");
        assertThat(HostPattern.problem("under_score.test")).contains("not a valid label");
        assertThat(HostPattern.problem("upstream.test")).isNull();
        assertThatThrownBy(() -> new HostPattern("bad host")).isInstanceOf(IllegalArgumentException.class);
    }
}
