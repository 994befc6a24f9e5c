package dev.claudebottle.backend.docker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The log of a bottle's bundle container, for every backend that runs the bundle on Docker. */
public final class BundleLogs {
    /** Following has no deadline of its own: it ends with the bundle, or with the CLI. */
    private static final Duration UNTIL_THE_BUNDLE_STOPS = Duration.ofDays(365);
    private final DockerEngine engine;
    private final String slug;

    /** The bundle log of bottle {@code slug}. */
    public BundleLogs(DockerEngine engine, String slug) {
        this.engine = engine;
        this.slug = slug;
    }

    /** Its last {@code lines} lines; none when the bundle is gone. */
    public List<String> tail(int lines) {
        return bundle().map(id -> engine.logs(id, lines)).orElse(List.of());
    }

    /** Hands every line to {@code line}, those to come included, until the bundle stops or goes. */
    public void follow(Consumer<String> line) throws InterruptedException {
        Optional<String> id = bundle();
        if (id.isPresent()) {
            engine.followLogs(id.get(), UNTIL_THE_BUNDLE_STOPS, l -> {
                line.accept(l);
                return false;
            });
        }
    }

    private Optional<String> bundle() {
        return engine.containers(Map.of(Labels.SLUG, slug, Labels.ROLE, "bundle")).stream().findFirst();
    }
}
