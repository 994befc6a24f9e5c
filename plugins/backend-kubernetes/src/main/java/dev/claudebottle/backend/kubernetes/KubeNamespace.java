package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.EnvironmentException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace belongs to one state home's bottles. Whoever may create pods or exec in a namespace can
 * mount its Secrets or read them from a running bundle, so two people's bottles in one namespace would
 * share their credentials: a launch is refused where the namespace holds a bottle of another home.
 */
final class KubeNamespace {
    private KubeNamespace() {
    }

    /** Refuses when {@code namespace} holds a bottle's pod or Secret whose home is not {@code home} (a digest). */
    static void refuseShared(KubernetesClient client, String namespace, String home) {
        List<HasMetadata> bottles = new ArrayList<>();
        bottles.addAll(client.pods().inNamespace(namespace).withLabel(KubeLabels.SLUG).list().getItems());
        bottles.addAll(client.secrets().inNamespace(namespace).withLabel(KubeLabels.SLUG).list().getItems());
        for (HasMetadata o : bottles) {
            if (!home.equals(o.getMetadata().getLabels().get(KubeLabels.HOME))) {
                throw new EnvironmentException("namespace " + namespace + " holds bottle " + o.getMetadata()
                        .getLabels().get(KubeLabels.SLUG) + " of another state home: whoever may run pods there could "
                        + "read the other's credentials", "give each state home a namespace of its own ("
                        + KubeSettings.NAMESPACE + ")");
            }
        }
    }
}
