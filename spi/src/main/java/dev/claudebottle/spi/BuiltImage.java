package dev.claudebottle.spi;

import java.util.Objects;

/**
 * An image a backend built or found.
 *
 * @param role  {@code agent} or {@code bundle}
 * @param tag   the content tag, e.g. {@code claude-bottle/agent:3f2a9c1e0b7d}
 * @param built whether it was built now (false: an image with that tag already existed)
 */
public record BuiltImage(String role, String tag, boolean built) {
    /** Requires both names. */
    public BuiltImage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tag, "tag");
    }
}
