package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.EnvironmentException;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;

/**
 * NetworkPolicies add up: a pod selected by two may send and take in what either allows. So the
 * fence's policies must be the only ones that select the guest and the bundle; one of the
 * namespace's that would select either too (its pod selector matches the pod's labels, an empty one
 * matches every pod) refuses the launch. Policies of the cluster's own kinds (AdminNetworkPolicy, a
 * network plugin's global ones) are not read here: docs/kubernetes.md says so.
 */
final class ForeignPolicies {
    private ForeignPolicies() {
    }

    /**
     * Refuses when a policy of {@code policies} not named in {@code own} would select a pod with the
     * labels of one of {@code pods} (by role).
     */
    static void refuse(List<NetworkPolicy> policies, List<String> own, Map<String, Map<String, String>> pods) {
        for (NetworkPolicy p : policies) {
            if (own.contains(p.getMetadata().getName())) {
                continue;
            }
            for (Map.Entry<String, Map<String, String>> pod : pods.entrySet()) {
                if (p.getSpec() == null || selects(p.getSpec().getPodSelector(), pod.getValue())) {
                    throw new EnvironmentException("NetworkPolicy " + p.getMetadata().getName() + " in namespace "
                            + p.getMetadata().getNamespace() + " would select the bottle's " + pod.getKey()
                            + " pod too, and what it allows would add to the fence", "run bottles in a namespace of "
                            + "their own (" + KubeSettings.NAMESPACE + ") or narrow that policy's pod selector");
                }
            }
        }
    }

    /** Whether {@code selector} selects a pod with {@code labels}; an absent or empty selector selects every pod. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean holds = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    // an operator this build does not know may select it: counted as selecting
                    default -> true;
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }
}
