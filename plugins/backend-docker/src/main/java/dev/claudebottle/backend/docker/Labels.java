package dev.claudebottle.backend.docker;

import java.util.Map;

/** The labels every Docker resource of a bottle carries, so gc can find what a crash left. */
final class Labels {
    static final String SLUG = "claude-bottle.slug";
    static final String ROLE = "claude-bottle.role";

    private Labels() {
    }

    static Map<String, String> of(String slug, String role) {
        return Map.of(SLUG, slug, ROLE, role);
    }
}
