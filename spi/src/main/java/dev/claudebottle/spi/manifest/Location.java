package dev.claudebottle.spi.manifest;

import java.util.Objects;

/**
 * A place in a manifest file, for error messages.
 *
 * @param source the file (or {@code <embedded default>})
 * @param line   1-based line
 * @param column 1-based column
 */
public record Location(String source, int line, int column) {
    /** Requires a source. */
    public Location {
        Objects.requireNonNull(source, "source");
    }

    /** {@code file:line:column}. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
