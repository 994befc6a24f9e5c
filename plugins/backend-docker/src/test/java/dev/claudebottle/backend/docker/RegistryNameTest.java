package dev.claudebottle.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which names {@code bottle image push} pushes to: a registry's, never a Docker Hub namespace. */
class RegistryNameTest {
    @Test
    void aRegistryHasAHostThatNoHubNamespaceCouldBe() {
        assertThat(ImageBuilder.pushable("localhost:5001")).isTrue();
        assertThat(ImageBuilder.pushable("localhost")).isTrue();
        assertThat(ImageBuilder.pushable("registry.example.com:5000/team")).isTrue();
        assertThat(ImageBuilder.pushable("ghcr.io/acme/tools")).isTrue();
        assertThat(ImageBuilder.pushable("kind-registry:5000")).isTrue();

        // a bare word is a Docker Hub namespace: the images would go to docker.io
        assertThat(ImageBuilder.pushable("acme")).isFalse();
        assertThat(ImageBuilder.pushable("acme/tools")).isFalse();
        assertThat(ImageBuilder.pushable("Not A Registry!")).isFalse();
        assertThat(ImageBuilder.pushable("registry.example.com/Team")).isFalse();
        assertThat(ImageBuilder.pushable("https://registry.example.com")).isFalse();
    }
}
