package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildContextTest {
    private static BuildContext context(String dockerfile) {
        return new BuildContext().directory("certs").add("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theTagChangesWithTheContentAndTheBaseAndNothingElse() {
        String tag = context("FROM base\n").digest("debian:bookworm-slim", "sha256:1");

        assertThat(tag).hasSize(12).isEqualTo(context("FROM base\n").digest("debian:bookworm-slim", "sha256:1"));
        assertThat(context("FROM base\nRUN true\n").digest("debian:bookworm-slim", "sha256:1")).isNotEqualTo(tag);
        assertThat(context("FROM base\n").digest("debian:bookworm-slim", "sha256:2")).isNotEqualTo(tag);
        assertThat(context("FROM base\n").directory("lib").digest("debian:bookworm-slim", "sha256:1"))
                .isNotEqualTo(tag);
    }
}
