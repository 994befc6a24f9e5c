package dev.claudebottle.backend.docker;

import java.util.Map;

/**
 * Removes what carries a bottle's {@link Labels#SLUG} label: found by its label, a resource is
 * removed even when no undo of the process that made it survived (a crash, a step that still ran
 * when the teardown began). Containers go first, since a network goes only once nothing is on it;
 * what is already gone is not an error ({@link DockerEngine#remove}, {@link DockerEngine#removeNetwork}).
 */
public final class LabelSweep {
    private LabelSweep() {
    }

    /** Removes every container of the bottle, running or not. */
    public static void containers(DockerEngine engine, String slug) {
        for (String id : engine.containers(Map.of(Labels.SLUG, slug))) {
            engine.remove(id);
        }
    }

    /** Removes every container of the bottle, then every network of it. */
    public static void containersAndNetworks(DockerEngine engine, String slug) {
        containers(engine, slug);
        for (String network : engine.networks(Map.of(Labels.SLUG, slug))) {
            engine.removeNetwork(network);
        }
    }
}
