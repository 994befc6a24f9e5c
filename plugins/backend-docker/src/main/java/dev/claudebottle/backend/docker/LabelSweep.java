package dev.claudebottle.backend.docker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Removes what carries a bottle's {@link Labels#SLUG} label: found by its label, a resource is
 * removed even when no undo of the process that made it survived (a crash, a step that still ran
 * when the teardown began). Containers go first, since a network goes only once nothing is on it;
 * what is already gone is not an error ({@link DockerEngine#remove}, {@link DockerEngine#removeNetwork}).
 */
public final class LabelSweep {
    private LabelSweep() {
    }

    /**
     * Removes every container of the bottle, running or not, side by side; once every removal ended,
     * the first failure is thrown.
     */
    public static void containers(DockerEngine engine, String slug) {
        List<CompletableFuture<Void>> removals = engine.containers(Map.of(Labels.SLUG, slug)).stream()
                .map(id -> DaemonThread.run("remove " + id, () -> engine.remove(id))).toList();
        RuntimeException first = null;
        for (CompletableFuture<Void> removal : removals) {
            try {
                removal.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
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
