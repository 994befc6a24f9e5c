package dev.claudebottle.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The objects of a launch as a person reviews them before any is made: YAML documents in the order
 * the launch creates them, every Secret's data elided, the guest reaching the bundle at the address
 * its pod will be given.
 */
final class KubePlan {
    /** What stands for the bundle pod's address, which the cluster gives it only once it is scheduled. */
    static final String BUNDLE_ADDRESS = "<the bundle pod's address>";
    /** What stands for each of a Secret's values. */
    static final String ELIDED = "<elided>";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private KubePlan() {
    }

    /** The objects of {@code objects}' launch, as YAML. */
    static String yaml(KubeObjects objects) {
        BundleFiles files = objects.files();
        List<HasMetadata> all = new ArrayList<>(objects.bundleSide(files, objects.values()));
        all.add(objects.guest(BUNDLE_ADDRESS, objects.guestEnv()));
        return all.stream().map(o -> o instanceof Secret s ? elided(s) : o).map(YAML::asYaml)
                .collect(Collectors.joining());
    }

    /** {@code secret} with each value replaced: the keys show what it holds, nothing shows a value. */
    static Secret elided(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().keySet().forEach(k -> data.put(k, ELIDED));
        }
        return new SecretBuilder(secret).withData(null).withStringData(data).build();
    }
}
