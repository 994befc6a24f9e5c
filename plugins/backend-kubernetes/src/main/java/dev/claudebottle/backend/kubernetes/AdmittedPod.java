package dev.claudebottle.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether the pod the cluster stored is the pod the launch sent. Admission may add to a pod: a service
 * mesh's sidecar and its traffic rules, a secrets agent's volume, a cloud's identity env, a looser
 * security context. Every field the launch set must come back as it was, and a field it did not set
 * may only be one the API server itself fills in, with the value it gives every pod.
 */
final class AdmittedPod {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** Fields the API server fills in on every pod, by path ({@code [*]} for any element). */
    private static final List<Pattern> DEFAULTED = List.of(
            "spec.schedulerName", "spec.terminationGracePeriodSeconds", "spec.priority", "spec.preemptionPolicy",
            "spec.(initContainers|containers)\\[\\d+]\\.(terminationMessagePath|terminationMessagePolicy"
                    + "|imagePullPolicy)",
            "spec.(initContainers|containers)\\[\\d+]\\.resources\\.requests(\\..*)?",
            "spec.volumes\\[\\d+]\\.configMap\\.defaultMode")
            .stream().map(Pattern::compile).toList();
    /** The tolerations every pod is given, for nodes that stop answering. */
    private static final List<String> DEFAULT_TOLERATIONS = List.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable");

    private AdmittedPod() {
    }

    /** What in {@code stored}'s spec is not {@code sent}'s, if anything. */
    static Optional<String> changes(Pod sent, Pod stored) {
        List<String> changed = new ArrayList<>();
        compare("spec", tree(sent.getSpec()), tree(stored.getSpec()), changed);
        return changed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", new TreeSet<>(changed)));
    }

    private static Object tree(Object spec) {
        return JSON.convertValue(spec, Map.class);
    }

    private static void compare(String path, Object sent, Object stored, List<String> changed) {
        if (sent instanceof Map<?, ?> a && stored instanceof Map<?, ?> b) {
            for (Object key : b.keySet()) {
                String at = path + "." + key;
                if (a.containsKey(key)) {
                    compare(at, a.get(key), b.get(key), changed);
                } else if (!defaulted(at, b.get(key))) {
                    changed.add(at);
                }
            }
            a.keySet().stream().filter(k -> !b.containsKey(k)).forEach(k -> changed.add(path + "." + k));
        } else if (sent instanceof List<?> a && stored instanceof List<?> b) {
            if (a.size() != b.size()) {
                changed.add(path);
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i), changed);
            }
        } else if (!Objects.equals(String.valueOf(sent), String.valueOf(stored))) {
            changed.add(path);
        }
    }

    private static boolean defaulted(String path, Object value) {
        if (path.equals("spec.serviceAccountName") || path.equals("spec.serviceAccount")) {
            return "default".equals(value);
        }
        if (path.equals("spec.tolerations") && value instanceof List<?> tolerations) {
            return tolerations.stream().allMatch(t -> t instanceof Map<?, ?> m && DEFAULT_TOLERATIONS.contains(m.get("key"))
                    && "NoExecute".equals(m.get("effect")));
        }
        return DEFAULTED.stream().anyMatch(p -> p.matcher(path).matches());
    }
}
