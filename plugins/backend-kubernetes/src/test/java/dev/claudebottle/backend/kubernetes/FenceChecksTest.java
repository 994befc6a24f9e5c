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
    void aPodAdmissionChangedIsToldAndTheServersOwnDefaultsAreNot() {
        assertThat(AdmittedPod.changes(guest(), guest())).isEmpty();
        Pod defaulted = new PodBuilder(guest()).editSpec().withSchedulerName("default-scheduler")
                .withServiceAccountName("default").withTerminationGracePeriodSeconds(30L).addNewToleration()
                .withKey("node.kubernetes.io/not-ready").withEffect("NoExecute").withOperator("Exists")
                .withTolerationSeconds(300L).endToleration().editContainer(0).withImagePullPolicy("IfNotPresent")
                .withTerminationMessagePath("/dev/termination-log").endContainer().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), defaulted)).isEmpty();

        Pod sidecar = new PodBuilder(guest()).editSpec().addNewContainer().withName("istio-proxy").endContainer()
                .endSpec().build();
        assertThat(AdmittedPod.changes(guest(), sidecar)).get().asString().contains("spec.containers");
        Pod token = new PodBuilder(guest()).editSpec().addNewVolume().withName("kube-api-access-x").withNewProjected()
                .endProjected().endVolume().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), token)).get().asString().contains("spec.volumes");
        Pod env = new PodBuilder(guest()).editSpec().editContainer(0).addNewEnv().withName("AWS_ROLE_ARN")
                .withValue("arn").endEnv().endContainer().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), env)).get().asString().contains("spec.containers[0].env");
        Pod hooked = new PodBuilder(guest()).editSpec().editContainer(0).withNewLifecycle().withNewPostStart()
                .withNewExec().withCommand("sh").endExec().endPostStart().endLifecycle().endContainer().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), hooked)).get().asString().contains("lifecycle");
        Pod fence = new PodBuilder(guest()).editSpec().editInitContainer(0).withCommand("true").endInitContainer()
                .endSpec().build();
        assertThat(AdmittedPod.changes(guest(), fence)).get().asString().contains("initContainers[0].command");
        Pod host = new PodBuilder(guest()).editSpec().editVolume(0).withNewHostPath().withPath("/").endHostPath()
                .endVolume().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), host)).get().asString().contains("hostPath");
        Pod unconfined = new PodBuilder(guest()).editSpec().withNewSecurityContext().withNewSeccompProfile()
                .withType("Unconfined").endSeccompProfile().endSecurityContext().endSpec().build();
        assertThat(AdmittedPod.changes(guest(), unconfined)).get().asString().contains("securityContext");
        Pod runtime = new PodBuilder(guest()).editSpec().withRuntimeClassName("insecure").withServiceAccountName("ci")
                .endSpec().build();
        assertThat(AdmittedPod.changes(guest(), runtime)).get().asString().contains("runtimeClassName")
                .contains("serviceAccountName");
        Pod mounted = new PodBuilder(guest()).editSpec().withAutomountServiceAccountToken(true).endSpec().build();
        assertThat(AdmittedPod.changes(guest(), mounted)).isPresent();
    }

    @Test
    void aPodAsARealApiServerStoresItIsThePodThatWasSent() {
        Pod sent = new PodBuilder(guest()).editSpec().withHostNetwork(false).withHostPID(false).withHostIPC(false)
                .editContainer(0).addNewEnv().withName("EMPTY").withValue("").endEnv().withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("524288000"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("1.5")).endResources()
                .endContainer().endSpec().build();
        // false and empty values dropped, quantities respelled, empty resources and the server's defaults added
        Pod stored = new PodBuilder(guest()).editSpec().withSchedulerName("default-scheduler").withPriority(0)
                .withPreemptionPolicy("PreemptLowerPriority").withServiceAccount("default")
                .editInitContainer(0).withNewResources().endResources().withImagePullPolicy("IfNotPresent")
                .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File")
                .endInitContainer().editContainer(0).addNewEnv().withName("EMPTY").endEnv().withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("524288k"))
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("1500m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("524288k")).endResources()
                .endContainer().endSpec().build();
        assertThat(AdmittedPod.changes(sent, stored)).isEmpty();
        // the service account's pull secrets, a LimitRange's limits on a container that set none, a default
        // priority class: the cluster's own, none of them anything a container holds
        Pod cluster = new PodBuilder(stored).editSpec().addNewImagePullSecret("registry-login")
                .withPriorityClassName("team-default").withPriority(1000).editInitContainer(0).editResources()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi")).endResources()
                .endInitContainer().endSpec().build();
        assertThat(AdmittedPod.changes(sent, cluster)).isEmpty();
        // but a device a plugin would hand to the container, or labels and annotations the launch did not set
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().editInitContainer(0).editResources()
                .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1")).endResources()
                .endInitContainer().endSpec().build())).get().asString().contains("initContainers[0].resources");
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editMetadata().addToLabels("app", "x").endMetadata()
                .build())).get().asString().contains("metadata.labels");
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editMetadata().addToAnnotations(
                "k8s.v1.cni.cncf.io/networks", "macvlan").endMetadata().build())).get().asString()
                .contains("metadata.annotations");
        // a zero the server would keep, added: the pod now runs its containers in group 0
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().withNewSecurityContext()
                .withRunAsGroup(0L).endSecurityContext().endSpec().build())).isPresent();

        // a pod that set no DNS policy gets the cluster's, and only that
        Pod noDns = new PodBuilder(sent).editSpec().withDnsPolicy(null).endSpec().build();
        assertThat(AdmittedPod.changes(noDns, new PodBuilder(stored).editSpec().withDnsPolicy("ClusterFirst").endSpec()
                .build())).isEmpty();
        assertThat(AdmittedPod.changes(noDns, new PodBuilder(stored).editSpec().withDnsPolicy("Default").endSpec()
                .build())).get().asString().contains("spec.dnsPolicy");
        // a default field given another value than the server's is admission's doing
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().withSchedulerName("custom").endSpec()
                .build())).get().asString().contains("schedulerName");
        // a limit raised is a change however it is spelled
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().editContainer(0).editResources()
                .addToLimits("cpu", new io.fabric8.kubernetes.api.model.Quantity("2")).endResources().endContainer()
                .endSpec().build())).get().asString().contains("limits.cpu");
        // a switch that is on unless set, taken away: its false is a value the server keeps
        Pod escalating = new PodBuilder(sent).editSpec().editContainer(0).withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).endSecurityContext().endContainer().endSpec().build();
        Pod keptOff = new PodBuilder(stored).editSpec().editContainer(0).withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).endSecurityContext().endContainer().endSpec().build();
        assertThat(AdmittedPod.changes(escalating, keptOff)).isEmpty();
        assertThat(AdmittedPod.changes(escalating, stored)).get().asString().contains("securityContext");
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().withAutomountServiceAccountToken(null)
                .endSpec().build())).get().asString().contains("automountServiceAccountToken");
        // a host namespace turned on where the launch asked for none
        assertThat(AdmittedPod.changes(sent, new PodBuilder(stored).editSpec().withHostNetwork(true).endSpec().build()))
                .get().asString().contains("hostNetwork");
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
    void theBundlesFenceMustAdmitItsGuestAloneAndRewriteNothing() {
        String ip = FakeCluster.POD_IP;
        assertThat(BundleFirewall.admit(ip, "8888")).containsSequence("-s", ip + "/32");
        assertThat(BundleFirewall.difference(ip, "8888", FakeCluster.INPUT_CHAIN)).isEmpty();

        // another guest's address, or a network in its place
        assertThat(BundleFirewall.difference("10.244.1.8", "8888", FakeCluster.INPUT_CHAIN)).isPresent();
        assertThat(BundleFirewall.difference(ip, "8888", FakeCluster.INPUT_CHAIN.replace(ip + "/32", "10.0.0.0/8")))
                .get().asString().contains("filter rules are not its fence's");
        // a mesh's redirect in the nat table sends traffic to a proxy before the filter sees it
        String meshed = FakeCluster.INPUT_CHAIN.replace("# ipv6", "*nat\n:PREROUTING ACCEPT [0:0]\n:ISTIO_INBOUND - [0:0]"
                + "\n-A PREROUTING -p tcp -j ISTIO_INBOUND\nCOMMIT\n# ipv6");
        assertThat(BundleFirewall.difference(ip, "8888", meshed)).get().asString().contains("chain of its own");
        String redirected = FakeCluster.INPUT_CHAIN.replace("# ipv6", "*nat\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -p tcp --dport 8888 -j REDIRECT --to-ports 15006\nCOMMIT\n# ipv6");
        assertThat(BundleFirewall.difference(ip, "8888", redirected)).get().asString().contains("rewrites");
        // an extra rule that returns early, and an IPv6 chain that lets everyone in
        assertThat(BundleFirewall.difference(ip, "8888", FakeCluster.INPUT_CHAIN.replaceFirst("-A INPUT -j DROP",
                "-A INPUT -p tcp -j RETURN\n-A INPUT -j DROP"))).isPresent();
        assertThat(BundleFirewall.difference(ip, "8888", FakeCluster.INPUT_CHAIN.substring(0,
                FakeCluster.INPUT_CHAIN.lastIndexOf("-A INPUT -i lo")) + "COMMIT\n")).get().asString().contains("IPv6");
        assertThat(BundleFirewall.difference(ip, "8888", "")).isPresent();
        // rules of the legacy iptables, or nft's own, which iptables-save does not show
        assertThat(BundleFirewall.difference(ip, "8888", "# Warning: iptables-legacy tables present, use "
                + "iptables-legacy-save to see them\n" + FakeCluster.INPUT_CHAIN)).get().asString().contains("cannot show");
        // IPv6 present but its filter table gone: its input would be open
        String noV6Filter = FakeCluster.INPUT_CHAIN.substring(0, FakeCluster.INPUT_CHAIN.indexOf("# ipv6") + 7);
        assertThat(BundleFirewall.difference(ip, "8888", noV6Filter)).get().asString().contains("IPv6");
        // a pod without IPv6 needs no IPv6 rules
        assertThat(BundleFirewall.difference(ip, "8888", noV6Filter + "# no ipv6\n")).isEmpty();
        assertThatThrownBy(() -> BundleFirewall.admit(ip + " -j ACCEPT", "8888"))
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
