package dev.claudebottle.backend.docker;

import java.util.Map;

/** The labels every Docker resource of a bottle carries, so gc can find what a crash left. */
public final class Labels {
    /** The bottle a resource belongs to. */
    public static final String SLUG = "claude-bottle.slug";
    /** What the resource is to its bottle: guest, bundle, network, helper, registry. */
    public static final String ROLE = "claude-bottle.role";

    private Labels() {
    }

    /** Both labels. */
    public static Map<String, String> of(String slug, String role) {
        return Map.of(SLUG, slug, ROLE, role);
    }
}
