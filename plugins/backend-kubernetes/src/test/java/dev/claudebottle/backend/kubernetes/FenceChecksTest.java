package dev.claudebottle.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.contract.BundleLayout;
import dev.claudebottle.spi.BundleMount;
import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.Probe;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks the fence rests on, each against what would break it. */
class FenceChecksTest {
    private static final String AGENT_STATUS = "Uid:\t1000\t1000\t1000\t1000\nNoNewPrivs:\t1\n"
            + "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
            + "CapBnd:\t0000000000000000\nCapAmb:\t0000000000000000\n";

    private static Pod guest() {
        return new PodBuilder().withNewMetadata().withName("g").endMetadata().withNewSpec()
                .withAutomountServiceAccountToken(false).withDnsPolicy("None").addNewInitContainer().withName("fence")
                .endInitContainer().addNewContainer().withName("agent").withImage("a@sha256:1").endContainer()
                .addNewVolume().withName("home").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
    }

    @Test
    void aGuestPodAnAdmissionWebhookChangedIsTold() {
        assertThat(KubeObjects.admitted(guest(), guest())).isEmpty();

        Pod sidecar = new PodBuilder(guest()).editSpec().addNewContainer().withName("istio-proxy").endContainer()
                .endSpec().build();
        assertThat(KubeObjects.admitted(guest(), sidecar)).get().asString().contains("istio-proxy");

        Pod token = new PodBuilder(guest()).editSpec().addNewVolume().withName("kube-api-access-x").withNewProjected()
                .endProjected().endVolume().endSpec().build();
        assertThat(KubeObjects.admitted(guest(), token)).get().asString().contains("kube-api-access-x");

        Pod env = new PodBuilder(guest()).editSpec().editContainer(0).addNewEnv().withName("AWS_ROLE_ARN")
                .withValue("arn").endEnv().endContainer().endSpec().build();
        assertThat(KubeObjects.admitted(guest(), env)).get().asString().contains("container agent");

        Pod mounted = new PodBuilder(guest()).editSpec().withAutomountServiceAccountToken(true).endSpec().build();
        assertThat(KubeObjects.admitted(guest(), mounted)).isPresent();
    }

    @Test
    void theAgentsCommandMustHoldNoCapabilityInAnySetAndNoWayToGainOne() {
        assertThat(KubeProbes.privileges(0, AGENT_STATUS).held()).isTrue();

        Probe.Result bounding = KubeProbes.privileges(0, AGENT_STATUS.replace("CapBnd:\t0000000000000000",
                "CapBnd:\t00000000000800c1"));
        assertThat(bounding.held()).isFalse();
        assertThat(bounding.saw()).contains("CapBnd 00000000000800c1");
        assertThat(KubeProbes.privileges(0, AGENT_STATUS.replace("NoNewPrivs:\t1", "NoNewPrivs:\t0")).saw())
                .contains("NoNewPrivs 0");
        assertThat(KubeProbes.privileges(0, AGENT_STATUS.replace("Uid:\t1000\t1000\t1000\t1000", "Uid:\t1000\t0\t0\t0"))
                .held()).isFalse();
        assertThat(KubeProbes.privileges(0, AGENT_STATUS.replace("CapAmb:\t0000000000000000\n", "")).saw())
                .contains("CapAmb missing");
        // setpriv refused (the bounding set cannot be emptied without SETPCAP): the command did not run
        assertThat(KubeProbes.privileges(1, "").held()).isFalse();
    }

    @Test
    void theBundlesFenceMustAdmitItsGuestAloneAndRefuseEveryoneElse() {
        String refuse = "-A INPUT -p tcp -m multiport --dports 8888,9418 -j REJECT --reject-with tcp-reset";
        String admit = "-A INPUT -s 10.244.1.7/32 -p tcp -m multiport --dports 8888,9418 -j ACCEPT";
        assertThat(BundleFirewall.admit("10.244.1.7", "8888,9418")).containsSequence("-s", "10.244.1.7/32");
        assertThat(BundleFirewall.difference("10.244.1.7", "8888,9418", List.of("-P INPUT ACCEPT", admit,
                "-A INPUT -i lo -j ACCEPT", refuse))).isEmpty();

        assertThat(BundleFirewall.difference("10.244.1.7", "8888,9418", List.of("-A INPUT -i lo -j ACCEPT", refuse)))
                .get().asString().contains("does not begin by admitting");
        assertThat(BundleFirewall.difference("10.244.1.7", "8888,9418", List.of(admit,
                "-A INPUT -s 10.0.0.0/8 -j ACCEPT", refuse))).get().asString().contains("admits more");
        assertThat(BundleFirewall.difference("10.244.1.7", "8888,9418", List.of(admit))).get().asString()
                .contains("does not refuse");
        // another guest's address, or a network in its place
        assertThat(BundleFirewall.difference("10.244.1.8", "8888,9418", List.of(admit, refuse))).isPresent();
        assertThatThrownBy(() -> BundleFirewall.admit("10.244.1.7 -j ACCEPT", "8888"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadOnlyMountWithNoFilesNeverProjectsTheWholeSecret(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path key = Files.writeString(tmp.resolve("id"), "KEY");
        Path link = Files.createSymbolicLink(tmp.resolve("id-link"), key);

        BundleFiles files = BundleFiles.read(List.of(new BundleMount(empty, BundleLayout.GIT_CREDENTIALS_DIR, true),
                new BundleMount(link, BundleLayout.GIT_CREDENTIALS_DIR + "/repo/id", true)), "p", "s", "b@sha256:1");

        assertThat(files.volumes().get(0).getSecret()).isNull();
        assertThat(files.volumes().get(0).getEmptyDir()).isNotNull();
        // a linked file is followed as a bind mount follows it, and carries only its own key
        assertThat(files.volumes().get(1).getSecret().getItems()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("m1.0");
            assertThat(i.getPath()).isEqualTo("id");
        });
        assertThat(files.secret()).containsOnlyKeys("m1.0");
        assertThat(files.volumes()).allSatisfy(v -> {
            if (v.getSecret() != null) {
                assertThat(v.getSecret().getItems()).isNotEmpty();
            }
        });
    }

    @Test
    void aPolicySelectingTheBundleOrTheGuestIsRefusedAndOneSelectingOtherPodsIsNot() {
        Map<String, Map<String, String>> pods = Map.of("guest", Map.of(KubeLabels.ROLE, "guest", KubeLabels.SLUG, "a-1"),
                "bundle", Map.of(KubeLabels.ROLE, "bundle", KubeLabels.SLUG, "a-1"));
        NetworkPolicy sameNamespace = new NetworkPolicyBuilder().withNewMetadata().withName("allow-same-namespace")
                .withNamespace("bottles").endMetadata().withNewSpec().withNewPodSelector()
                .addToMatchLabels(KubeLabels.ROLE, "bundle").endPodSelector().endSpec().build();
        NetworkPolicy web = new NetworkPolicyBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().endSpec().build();
        NetworkPolicy notWeb = new NetworkPolicyBuilder().withNewMetadata().withName("not-web").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchExpressions(new LabelSelectorRequirement("app", "NotIn",
                        List.of("web"))).endPodSelector().endSpec().build();

        assertThatThrownBy(() -> ForeignPolicies.refuse(List.of(sameNamespace), List.of(), pods))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("bundle pod");
        ForeignPolicies.refuse(List.of(web), List.of(), pods);
        // NotIn selects a pod that lacks the label
        assertThatThrownBy(() -> ForeignPolicies.refuse(List.of(notWeb), List.of(), pods))
                .hasMessageContaining("not-web");
    }
}
