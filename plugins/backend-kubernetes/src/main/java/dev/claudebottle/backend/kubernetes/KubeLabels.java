package dev.claudebottle.backend.kubernetes;

import dev.claudebottle.spi.LaunchSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * The labels every object of a bottle carries, so stop and gc find them: the slug, the object's role,
 * and the id of the state home that launched it ({@link KubeHome}); an annotation names the home's
 * path, for a person to read.
 */
final class KubeLabels {
    /** The bottle an object belongs to. */
    static final String SLUG = "claude-bottle.slug";
    /** What the object is to its bottle: guest, bundle, files, policy. */
    static final String ROLE = "claude-bottle.role";
    /** The id of the state home ({@code CLAUDE_BOTTLE_HOME}) that launched the bottle. */
    static final String HOME = "claude-bottle.home";
    /** The state home's path, in full, as an annotation. */
    static final String HOME_PATH = "claude-bottle.home-path";

    private KubeLabels() {
    }

    /** The labels of an object of {@code role} of bottle {@code slug} launched from the home of id {@code home}. */
    static Map<String, String> of(String slug, String role, String home) {
        return Map.of(SLUG, slug, ROLE, role, HOME, home);
    }

    /** The state home of a launch: its state dir is {@code HOME/bottles/SLUG}. */
    static Path home(LaunchSpec spec) {
        return spec.stateDir().toAbsolutePath().getParent().getParent();
    }

    /** The annotation naming the home in full. */
    static Map<String, String> annotations(Path home) {
        return Map.of(HOME_PATH, home.toAbsolutePath().normalize().toString());
    }
}
