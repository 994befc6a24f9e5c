package dev.claudebottle.backend.docker;

import dev.claudebottle.spi.LaunchSpec;
import java.nio.file.Path;
import java.util.Map;

/** The labels every Docker resource of a bottle carries, so gc can find what a crash left. */
public final class Labels {
    /** The bottle a resource belongs to. */
    public static final String SLUG = "claude-bottle.slug";
    /** What the resource is to its bottle: guest, bundle, network, helper, registry. */
    public static final String ROLE = "claude-bottle.role";
    /** The state home ({@code CLAUDE_BOTTLE_HOME}) that launched the bottle: gc removes its own home's only. */
    public static final String HOME = "claude-bottle.home";

    private Labels() {
    }

    /** All three labels. */
    public static Map<String, String> of(String slug, String role, Path home) {
        return Map.of(SLUG, slug, ROLE, role, HOME, home.toAbsolutePath().normalize().toString());
    }

    /** The labels of a resource of the launch {@code spec}: its state dir is {@code HOME/bottles/SLUG}. */
    public static Map<String, String> of(LaunchSpec spec, String role) {
        return of(spec.slug(), role, spec.stateDir().toAbsolutePath().getParent().getParent());
    }
}
