package dev.claudebottle.manifest;

import dev.claudebottle.spi.manifest.Location;
import java.util.Objects;

/**
 * One thing wrong with a manifest.
 *
 * @param location where
 * @param message  what was expected, in words
 */
public record ManifestProblem(Location location, String message) {
    /** Requires both parts. */
    public ManifestProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: message}. */
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
