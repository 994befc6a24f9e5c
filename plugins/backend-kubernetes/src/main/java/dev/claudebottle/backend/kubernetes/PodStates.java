package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.BottleException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What a pod's status says: whether a container runs, whether it is ready, why it will not run. */
final class PodStates {
    /** How long a pod may take to start: a first pull of an image takes a while. */
    static final long START_SECONDS = 180;

    private PodStates() {
    }

    /** Waits until pod {@code name} meets {@code condition} or is gone; refuses after {@link #START_SECONDS}. */
    static Pod await(KubernetesClient client, String namespace, String name, Predicate<Pod> condition, String what) {
        try {
            return client.pods().inNamespace(namespace).withName(name).waitUntilCondition(
                    p -> p == null || condition.test(p), START_SECONDS, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new BottleException("waited " + START_SECONDS + " s for " + what + " (" + name + ")",
                    "kubectl describe pod -n " + namespace + " " + name + " says why");
        }
    }

    /** Whether {@code container} of {@code pod} runs. */
    static boolean running(Pod pod, String container) {
        return statuses(pod, false).stream().anyMatch(s -> s.getName().equals(container) && s.getState() != null
                && s.getState().getRunning() != null);
    }

    /** Whether the pod is ready. */
    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The pod's own address, once it has one. */
    static Optional<String> address(Pod pod) {
        return Optional.ofNullable(pod).map(Pod::getStatus).map(s -> s.getPodIP()).filter(ip -> !ip.isBlank());
    }

    /** Why the pod will not run, if it will not: gone, one of its containers ended (an init container badly), or failed. */
    static Optional<String> failed(Pod pod) {
        if (pod == null) {
            return Optional.of("it was deleted");
        }
        for (boolean init : List.of(true, false)) {
            for (ContainerStatus s : statuses(pod, init)) {
                var ended = s.getState() == null ? null : s.getState().getTerminated();
                if (ended != null && (!init || ended.getExitCode() != 0)) {
                    return Optional.of("container " + s.getName() + " ended with exit " + ended.getExitCode()
                            + Optional.ofNullable(ended.getMessage()).map(m -> ": " + m).orElse(""));
                }
                var waiting = s.getState() == null ? null : s.getState().getWaiting();
                if (waiting != null && List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
                        "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff")
                        .contains(waiting.getReason())) {
                    return Optional.of("container " + s.getName() + " is waiting: " + waiting.getReason()
                            + Optional.ofNullable(waiting.getMessage()).map(m -> " (" + m + ")").orElse(""));
                }
            }
        }
        if (pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())) {
            return Optional.of("it failed" + Optional.ofNullable(pod.getStatus().getMessage()).map(m -> ": " + m)
                    .orElse(""));
        }
        return Optional.empty();
    }

    private static List<ContainerStatus> statuses(Pod pod, boolean init) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<ContainerStatus> list = init ? pod.getStatus().getInitContainerStatuses()
                : pod.getStatus().getContainerStatuses();
        return list == null ? List.of() : list;
    }
}
