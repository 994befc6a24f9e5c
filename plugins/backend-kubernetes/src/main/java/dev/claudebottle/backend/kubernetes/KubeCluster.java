package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.EnvironmentException;
import dev.claudebottle.spi.HostEnvironment;
import io.fabric8.kubernetes.client.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.util.function.Supplier;

/**
 * The cluster a backend talks to: one client for the process, made on first use from the kubeconfig
 * as kubectl finds it ({@code KUBECONFIG}, else {@code ~/.kube/config}, else the pod's own service
 * account), in the context and namespace the settings name.
 */
final class KubeCluster implements AutoCloseable {
    private final Supplier<KubernetesClient> make;
    private KubernetesClient client;

    KubeCluster(Supplier<KubernetesClient> make) {
        this.make = make;
    }

    /** The cluster of the kubeconfig, in {@code settings}' context; none is asked for where none is configured. */
    static KubeCluster of(KubeSettings settings, HostEnvironment env) {
        return new KubeCluster(() -> {
            if (!configured(env)) {
                throw new EnvironmentException("no cluster is configured: no kubeconfig (KUBECONFIG, ~/.kube/config) "
                        + "and not in a pod", "point KUBECONFIG at the cluster's kubeconfig");
            }
            Config config = Config.autoConfigure(settings.context().orElse(null));
            settings.namespace().ifPresent(config::setNamespace);
            // an unreachable cluster is said at once, not after a client's many retries
            config.setRequestRetryBackoffLimit(1);
            config.setConnectionTimeout(5_000);
            config.setRequestTimeout(30_000);
            // the JDK's client: nothing is found by a service loader a plugin's class loader may not see
            return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory())
                    .build();
        });
    }

    /** Whether the host has a kubeconfig, as kubectl looks for one, or runs in a pod of a cluster. */
    static boolean configured(HostEnvironment env) {
        Optional<String> kubeconfig = env.get("KUBECONFIG").filter(k -> !k.isBlank());
        if (kubeconfig.isPresent()) {
            return Arrays.stream(kubeconfig.get().split(File.pathSeparator)).anyMatch(f -> Files.isRegularFile(Path.of(f)));
        }
        boolean home = env.get("HOME").map(h -> Files.isRegularFile(Path.of(h, ".kube", "config"))).orElse(false);
        return home || env.get("KUBERNETES_SERVICE_HOST").isPresent()
                && Files.isRegularFile(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    }

    /** The client, made on first use. */
    synchronized KubernetesClient client() {
        if (client == null) {
            client = make.get();
        }
        return client;
    }

    /** The namespace bottles go into: the settings', else the context's, else {@code default}. */
    String namespace() {
        String ns = client().getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
