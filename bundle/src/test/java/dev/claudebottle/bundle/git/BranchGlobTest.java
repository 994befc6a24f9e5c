package dev.claudebottle.bundle.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BranchGlobTest {
    @Test
    void aSingleStarStaysWithinOneSegment() {
        BranchGlob glob = BranchGlob.of("agent/*");
        assertThat(glob.matches("agent/x")).isTrue();
        assertThat(glob.matches("agent/x/y")).isFalse();
        assertThat(glob.matches("agent")).isFalse();
        assertThat(glob.matches("other/x")).isFalse();
    }

    @Test
    void aDoubleStarCrossesSegmentsAndTheRestIsLiteral() {
        assertThat(BranchGlob.of("agent/**").matches("agent/x/y")).isTrue();
        assertThat(BranchGlob.of("release-1.0").matches("release-1.0")).isTrue();
        assertThat(BranchGlob.of("release-1.0").matches("release-1x0")).isFalse();
    }
}
