package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.BadInputException;
import dev.claudebottle.spi.HostEnvironment;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where and from what bottles run on a cluster, from the host env: the namespace (else the
 * kubeconfig context's, else {@code default}), the kubeconfig context (else its current one), and the
 * agent and bundle images as the cluster pulls them, by digest.
 *
 * @param namespace   the namespace every object goes into, if set
 * @param context     the kubeconfig context, if set
 * @param agentImage  the agent image, {@code REPOSITORY@sha256:HEX}, if set
 * @param bundleImage the bundle image, likewise, if set
 */
record KubeSettings(Optional<String> namespace, Optional<String> context, Optional<String> agentImage,
                    Optional<String> bundleImage) {
    static final String NAMESPACE = "CLAUDE_BOTTLE_KUBE_NAMESPACE";
    static final String CONTEXT = "CLAUDE_BOTTLE_KUBE_CONTEXT";
    static final String AGENT_IMAGE = "CLAUDE_BOTTLE_KUBE_AGENT_IMAGE";
    static final String BUNDLE_IMAGE = "CLAUDE_BOTTLE_KUBE_BUNDLE_IMAGE";
    /** A reference that names one image for good: a tag can be moved to another image, a digest cannot. */
    private static final Pattern BY_DIGEST = Pattern.compile("[a-z0-9][a-z0-9._:/-]*@sha256:[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The settings the host env gives; malformed ones are refused naming the variable. */
    static KubeSettings from(HostEnvironment env) {
        Optional<String> namespace = value(env, NAMESPACE);
        namespace.ifPresent(n -> {
            if (!NAME.matcher(n).matches()) {
                throw new BadInputException(NAMESPACE + " '" + n + "' is not a namespace name",
                        "a namespace is lower-case letters, digits and '-', at most 63");
            }
        });
        return new KubeSettings(namespace, value(env, CONTEXT), image(env, AGENT_IMAGE), image(env, BUNDLE_IMAGE));
    }

    private static Optional<String> image(HostEnvironment env, String name) {
        Optional<String> image = value(env, name);
        image.ifPresent(i -> {
            if (!BY_DIGEST.matcher(i).matches()) {
                throw new BadInputException(name + " '" + i + "' does not name its image by digest",
                        "give REPOSITORY@sha256:DIGEST as the registry reports it after a push");
            }
        });
        return image;
    }

    private static Optional<String> value(HostEnvironment env, String name) {
        return env.get(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The agent image, or a clear refusal. */
    String requireAgentImage() {
        return agentImage.orElseThrow(() -> missing(AGENT_IMAGE, "agent"));
    }

    /** The bundle image, or a clear refusal. */
    String requireBundleImage() {
        return bundleImage.orElseThrow(() -> missing(BUNDLE_IMAGE, "bundle"));
    }

    private static BadInputException missing(String name, String role) {
        return new BadInputException("the kubernetes backend needs the " + role + " image the cluster pulls: "
                + name + " is not set", "push the " + role + " image (bottle image build --" + role + ", then docker "
                + "push) and set " + name + "=REPOSITORY@sha256:DIGEST");
    }
}
