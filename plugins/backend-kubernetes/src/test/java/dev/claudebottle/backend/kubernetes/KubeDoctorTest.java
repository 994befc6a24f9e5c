package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.spi.Check;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code bottle doctor} says of a cluster: its API, the namespace, the permissions a bottle needs, the images. */
class KubeDoctorTest {
    private final FakeCluster cluster = new FakeCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private List<Check> checks(boolean allowed, Optional<String> images) {
        cluster.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReturn(201, new SelfSubjectAccessReviewBuilder().withNewStatus().withAllowed(allowed).endStatus()
                        .build()).always();
        KubeSettings settings = new KubeSettings(Optional.of(FakeCluster.NAMESPACE), Optional.empty(), images, images);
        return new KubeDoctor(settings, new KubeCluster(() -> cluster.client)).checks();
    }

    private static Check named(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aNamespaceWithEveryPermissionAndImagesByDigestIsReady() {
        cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(FakeCluster.NAMESPACE)
                .endMetadata().build()).create();

        List<Check> checks = checks(true, Optional.of("registry.test/agent@sha256:" + "c".repeat(64)));

        assertThat(named(checks, "kubernetes API").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "kubernetes namespace").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "kubernetes permissions").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "kubernetes images").status()).isEqualTo(Check.Status.OK);
        assertThat(named(checks, "kubernetes NetworkPolicy").status()).isEqualTo(Check.Status.WARN);
    }

    @Test
    void aHostWithNoKubeconfigAsksNoClusterAndIsToldWhatIsMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
            throws Exception {
        var bare = dev.claudebottle.spi.HostEnvironment.of(java.util.Map.of("HOME", home.toString()));
        assertThat(KubeCluster.configured(bare)).isFalse();

        List<Check> checks = new KubernetesBackend(bare, null, e -> { }).doctor();
        assertThat(checks).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Check.Status.FAIL);
            assertThat(c.detail()).contains("no kubeconfig");
        });

        java.nio.file.Files.createDirectories(home.resolve(".kube"));
        java.nio.file.Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\n");
        assertThat(KubeCluster.configured(bare)).isTrue();
        assertThat(KubeCluster.configured(dev.claudebottle.spi.HostEnvironment.of(java.util.Map.of("HOME",
                home.toString(), "KUBECONFIG", home.resolve("absent").toString())))).isFalse();
    }

    @Test
    void aMissingNamespacePermissionsAndImagesAreEachNamed() {
        List<Check> checks = checks(false, Optional.empty());

        assertThat(named(checks, "kubernetes namespace").status()).isEqualTo(Check.Status.FAIL);
        assertThat(named(checks, "kubernetes permissions").detail()).contains("create pods", "create pods/exec",
                "create networkpolicies");
        assertThat(named(checks, "kubernetes images").status()).isEqualTo(Check.Status.FAIL);
    }
}
