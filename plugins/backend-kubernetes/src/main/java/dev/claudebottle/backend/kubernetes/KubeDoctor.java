package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.BottleException;
import dev.claudebottle.spi.Check;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bottle doctor} checks of a cluster: the kubeconfig and the API server it names, the
 * namespace, each permission a launch needs there (asked of the cluster itself), and the images.
 * Whether the network plugin enforces NetworkPolicies a client cannot tell; the launch's probes
 * prove the fence from inside the guest either way.
 */
final class KubeDoctor {
    /** What a launch, stop and gc do in the namespace: resource, subresource, verbs. */
    static final List<List<String>> NEEDS = List.of(
            List.of("pods", "", "create,get,list,watch,patch,delete"),
            List.of("pods", "exec", "create,get"),
            List.of("pods", "log", "get"),
            List.of("secrets", "", "create,get,list,delete"),
            List.of("configmaps", "", "create,get,list,delete"),
            List.of("networkpolicies", "", "create,get,list,delete"));
    private static final String POD_SECURITY = "pod-security.kubernetes.io/enforce";
    private final KubeSettings settings;
    private final KubeCluster cluster;

    KubeDoctor(KubeSettings settings, KubeCluster cluster) {
        this.settings = settings;
        this.cluster = cluster;
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        KubernetesClient client;
        String namespace;
        try {
            client = cluster.client();
            namespace = cluster.namespace();
            checks.add(Check.ok("kubernetes API", "Kubernetes " + client.getKubernetesVersion().getGitVersion() + " at "
                    + client.getMasterUrl()));
        } catch (BottleException e) {
            checks.add(Check.fail("kubernetes API", e.getMessage(), e.hint().orElse("check KUBECONFIG")));
            return checks;
        } catch (KubernetesClientException | IllegalStateException e) {
            checks.add(Check.fail("kubernetes API", "cannot reach the cluster of the kubeconfig: " + e.getMessage(),
                    "check KUBECONFIG (else ~/.kube/config) and " + KubeSettings.CONTEXT));
            return checks;
        }
        try {
            var ns = client.namespaces().withName(namespace).get();
            checks.add(ns != null ? Check.ok("kubernetes namespace", namespace)
                    : Check.fail("kubernetes namespace", namespace + " does not exist", "kubectl create namespace "
                    + namespace + ", or set " + KubeSettings.NAMESPACE));
            // the guest's fence and probes need NET_ADMIN and SYS_PTRACE, which baseline and restricted refuse
            String enforced = ns == null || ns.getMetadata().getLabels() == null ? "privileged"
                    : ns.getMetadata().getLabels().getOrDefault(POD_SECURITY, "privileged");
            if (ns != null && !enforced.equals("privileged")) {
                checks.add(Check.fail("kubernetes pod security", namespace + " enforces Pod Security level " + enforced
                        + ", which refuses the guest's fence (NET_ADMIN) and probes (SYS_PTRACE)",
                        "run bottles in a namespace labelled " + POD_SECURITY + "=privileged"));
            }
        } catch (KubernetesClientException e) {
            checks.add(Check.warn("kubernetes namespace", namespace + " (cannot read it: " + e.getMessage() + ")",
                    "a Role in the namespace is enough to run bottles; see docs/kubernetes.md"));
        }
        List<String> missing = new ArrayList<>();
        for (List<String> need : NEEDS) {
            for (String verb : need.get(2).split(",")) {
                if (!allowed(client, namespace, need.get(0), need.get(1), verb)) {
                    missing.add(verb + " " + need.get(0) + (need.get(1).isEmpty() ? "" : "/" + need.get(1)));
                }
            }
        }
        checks.add(missing.isEmpty() ? Check.ok("kubernetes permissions", "every one a bottle needs in " + namespace)
                : Check.fail("kubernetes permissions", "missing in " + namespace + ": " + String.join(", ", missing),
                "bind the Role of docs/kubernetes.md to this user"));
        checks.add(Check.warn("kubernetes NetworkPolicy", "whether the network plugin enforces NetworkPolicies "
                + "cannot be read from the API", "each launch's probes prove the fence from inside the guest"));
        checks.add(settings.agentImage().isPresent() && settings.bundleImage().isPresent()
                ? Check.ok("kubernetes images", settings.agentImage().get() + ", " + settings.bundleImage().get())
                : Check.fail("kubernetes images", KubeSettings.AGENT_IMAGE + " and " + KubeSettings.BUNDLE_IMAGE
                + " must both name an image by digest", "push the images and set both"));
        return checks;
    }

    private static boolean allowed(KubernetesClient client, String namespace, String resource, String sub,
                                   String verb) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withResource(resource)
                .withGroup(resource.equals("networkpolicies") ? "networking.k8s.io" : "")
                .withSubresource(sub.isEmpty() ? null : sub).endResourceAttributes().endSpec().build();
        try {
            SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        } catch (KubernetesClientException e) {
            return false;
        }
    }
}
