package dev.claudebottle.backend.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A short-lived container from the bundle's image that shares another container's network
 * namespace with capabilities that container never holds: the launch fences the guest and the
 * bundle through one, and the fence's structural probe reads the guest's routes and firewall
 * through another. Its programs are the bundle image's, which the agent cannot touch; it is
 * removed whatever happens.
 */
final class NamespaceHelper {
    /** How long a helper may run. */
    static final Duration LIMIT = Duration.ofSeconds(30);
    /** The most lines of its output read back. */
    private static final int LINES = 2000;

    /**
     * What a helper printed, with how it ended.
     *
     * @param exitCode its exit status
     * @param output   its output and error lines, in order
     */
    record Ran(int exitCode, List<String> output) {
        /** Copies the lines. */
        Ran {
            output = List.copyOf(output);
        }
    }

    private NamespaceHelper() {
    }

    /**
     * The spec of a helper named {@code name}, running {@code script} with {@code sh -c} as root in
     * {@code containerId}'s network namespace with {@code capabilities}.
     */
    static ContainerSpec spec(String name, String image, Map<String, String> labels, String containerId,
                              List<String> capabilities, String script) {
        return new ContainerSpec(name, image, List.of(), labels, "container:" + containerId, List.of(), List.of(),
                Optional.of("root"), List.of("sh", "-c"), List.of(script), List.of(), capabilities, List.of(),
                Optional.empty());
    }

    /**
     * Runs the helper to its end and removes it; its output is read when it failed, or always
     * when {@code read} says so.
     */
    static Ran run(DockerEngine e, ContainerSpec spec, boolean read) {
        String id = e.createContainer(spec);
        try {
            e.start(id);
            int code = e.waitForExit(id, LIMIT);
            return new Ran(code, read || code != 0 ? e.logs(id, LINES) : List.of());
        } finally {
            e.remove(id);
        }
    }
}
