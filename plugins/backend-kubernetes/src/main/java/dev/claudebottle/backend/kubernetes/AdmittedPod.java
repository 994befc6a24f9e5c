package dev.claudebottle.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * may only be one the API server itself fills in, with the value it gives every pod. Both sides are
 * read as the server writes them: empty text and zero are no value, false is none only where the
 * server leaves a false out (a switch that is off unless set: never {@code
 * allowPrivilegeEscalation} or {@code automountServiceAccountToken}, which are on unless set), and a
 * quantity is its amount, however it is spelled ({@code 1.5} and {@code 1500m}).
 */
final class AdmittedPod {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** Fields the API server fills in on every pod, by path, with the value it gives them. */
    private static final Map<Pattern, Pattern> DEFAULTED = defaults(
            "spec\\.schedulerName", "default-scheduler",
            "spec\\.terminationGracePeriodSeconds", "30",
            // a cluster's default priority class: when a pod is scheduled and preempted, not what it may do
            "spec\\.(priority|priorityClassName)", ".*",
            "spec\\.preemptionPolicy", "PreemptLowerPriority|Never",
            // the service account's pull secrets, which the kubelet uses and no container sees
            "spec\\.imagePullSecrets", ".*",
            "spec\\.(serviceAccountName|serviceAccount)", "default",
            "spec\\.dnsPolicy", "ClusterFirst",
            "spec\\.(initContainers|containers)\\[\\d+]\\.terminationMessagePath", "/dev/termination-log",
            "spec\\.(initContainers|containers)\\[\\d+]\\.terminationMessagePolicy", "File",
            "spec\\.(initContainers|containers)\\[\\d+]\\.imagePullPolicy", "IfNotPresent|Always",
            "spec\\.volumes\\[\\d+]\\.(configMap|secret)\\.defaultMode", "420");
    /**
     * What a namespace's LimitRange may add to a container's resources: requests, by which it is
     * scheduled, and limits, which only hold it tighter; never an extended resource, which a device
     * plugin would hand to the container.
     */
    private static final Pattern RESOURCES = Pattern.compile(
            "spec\\.(initContainers|containers)\\[\\d+]\\.resources(\\.(limits|requests)(\\.(cpu|memory"
                    + "|ephemeral-storage))?)?");
    private static final List<String> RESOURCE_NAMES = List.of("cpu", "memory", "ephemeral-storage");
    private static final Pattern QUANTITY = Pattern.compile(".*\\.resources\\.(limits|requests)\\.[^.]+");
    /** Numbers the server writes only when set: zero, they are left out. */
    private static final Pattern ZERO_UNLESS_SET = Pattern.compile("spec\\.(initContainers|containers)\\[\\d+]"
            + "\\.ports\\[\\d+]\\.hostPort");
    /** Switches the server writes only when on: off, they are left out. */
    private static final Pattern OFF_UNLESS_SET = Pattern.compile("spec\\.(hostNetwork|hostPID|hostIPC)|spec\\."
            + "(initContainers|containers)\\[\\d+]\\.(stdin|stdinOnce|tty|volumeMounts\\[\\d+]\\.readOnly)");
    /** The tolerations every pod is given, for nodes that stop answering. */
    private static final List<String> DEFAULT_TOLERATIONS = List.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable");

    private AdmittedPod() {
    }

    /** Paths and the values they are given, in pairs. */
    private static Map<Pattern, Pattern> defaults(String... pathsAndValues) {
        Map<Pattern, Pattern> out = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndValues.length; i += 2) {
            out.put(Pattern.compile(pathsAndValues[i]), Pattern.compile(pathsAndValues[i + 1]));
        }
        return out;
    }

    /**
     * What in {@code stored} is not {@code sent}: its spec, and its labels and annotations, which
     * select it for the fence's policies and which runtimes and network plugins read (an annotation
     * can attach another network, or switch a profile off).
     */
    static Optional<String> changes(Pod sent, Pod stored) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(sent.getMetadata().getLabels(), stored.getMetadata().getLabels())) {
            changed.add("metadata.labels");
        }
        Map<String, String> annotations = stored.getMetadata().getAnnotations() == null ? Map.of()
                : stored.getMetadata().getAnnotations();
        if (!annotations.equals(sent.getMetadata().getAnnotations() == null ? Map.of()
                : sent.getMetadata().getAnnotations())) {
            changed.add("metadata.annotations");
        }
        compare("spec", normal("spec", tree(sent.getSpec())), normal("spec", tree(stored.getSpec())), changed);
        return changed.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", new TreeSet<>(changed)));
    }

    private static Object tree(Object spec) {
        return JSON.convertValue(spec, Map.class);
    }

    /**
     * The tree at {@code path} without what the server leaves out: empty text, zero, a switch that is
     * off unless set, and maps or lists left empty.
     */
    private static Object normal(String path, Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object n = normal(path + "." + k, v);
                if (n != null) {
                    out.put(k, n);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(normal(path + "[" + i + "]", list.get(i)));
            }
            return out.isEmpty() ? null : out;
        }
        if (Boolean.FALSE.equals(node) && OFF_UNLESS_SET.matcher(path).matches() || "".equals(node)
                || node instanceof Number n && n.doubleValue() == 0 && ZERO_UNLESS_SET.matcher(path).matches()) {
            return null;
        }
        return node;
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
        } else if (QUANTITY.matcher(path).matches() && sent != null && stored != null) {
            if (amount(sent).compareTo(amount(stored)) != 0) {
                changed.add(path);
            }
        } else if (!Objects.equals(String.valueOf(sent), String.valueOf(stored))) {
            changed.add(path);
        }
    }

    private static java.math.BigDecimal amount(Object quantity) {
        return Quantity.getAmountInBytes(new Quantity(String.valueOf(quantity)));
    }

    /** Whether {@code value} (resources, limits, requests or one amount) names only cpu, memory and storage. */
    private static boolean onlyBasicResources(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().allMatch(e -> (List.of("limits", "requests").contains(e.getKey())
                    || RESOURCE_NAMES.contains(e.getKey())) && onlyBasicResources(e.getValue()));
        }
        return true;
    }

    private static boolean defaulted(String path, Object value) {
        if (path.equals("spec.tolerations") && value instanceof List<?> tolerations) {
            return tolerations.stream().allMatch(t -> t instanceof Map<?, ?> m
                    && DEFAULT_TOLERATIONS.contains(m.get("key")) && "NoExecute".equals(m.get("effect")));
        }
        if (RESOURCES.matcher(path).matches()) {
            return onlyBasicResources(value);
        }
        return DEFAULTED.entrySet().stream().anyMatch(d -> d.getKey().matcher(path).matches()
                && d.getValue().matcher(String.valueOf(value)).matches());
    }
}
