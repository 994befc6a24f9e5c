package dev.claudebottle.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Deletes a bottle's objects in the order that keeps the fence whole while they go: the guest pod
 * first, with its grace period, waited for until its containers are gone (a pod deleted at once
 * leaves them running on the node a while, and the bundle's address may pass to another pod); then
 * the bundle pod, then what the pods used. One already gone is not an error. A guest pod that did not
 * go stops the deletion there, its bundle kept for gc; otherwise the first failure is thrown once
 * every deletion was tried.
 */
final class KubeDeletion {
    private static final long GONE_SECONDS = 60;

    private KubeDeletion() {
    }

    static void delete(KubernetesClient client, String namespace, List<? extends HasMetadata> objects) {
        List<HasMetadata> ordered = new ArrayList<>(objects);
        ordered.sort(Comparator.comparingInt(KubeDeletion::rank));
        RuntimeException first = null;
        boolean guestLeft = false;
        for (HasMetadata object : ordered) {
            boolean guest = rank(object) == 0;
            if (!guest && guestLeft) {
                // a guest that is not gone may still run: its bundle's address must not pass to another pod
                break;
            }
            try {
                if (object instanceof Pod pod) {
                    var resource = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
                    resource.delete();
                    resource.waitUntilCondition(java.util.Objects::isNull, GONE_SECONDS, TimeUnit.SECONDS);
                } else {
                    client.resource(object).inNamespace(namespace).delete();
                }
            } catch (KubernetesClientException e) {
                first = first == null ? e : first;
                guestLeft |= guest;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The guest pod goes first, the bundle pod next, the rest after them. */
    private static int rank(HasMetadata object) {
        if (!(object instanceof Pod)) {
            return 2;
        }
        return "guest".equals(object.getMetadata().getLabels() == null ? null
                : object.getMetadata().getLabels().get(KubeLabels.ROLE)) ? 0 : 1;
    }
}
