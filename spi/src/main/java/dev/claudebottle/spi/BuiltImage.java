package dev.claudebottle.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * An image a backend built or found.
 *
 * @param role   {@code agent} or {@code bundle}
 * @param tag    the content tag, e.g. {@code claude-bottle/agent:3f2a9c1e0b7d}
 * @param built  whether it was built now (false: an image with that tag already existed)
 * @param pushed where it was pushed, by digest ({@code REGISTRY/claude-bottle/agent@sha256:…}), if it was
 */
public record BuiltImage(String role, String tag, boolean built, Optional<String> pushed) {
    /** Requires both names. */
    public BuiltImage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(pushed, "pushed");
    }
}
