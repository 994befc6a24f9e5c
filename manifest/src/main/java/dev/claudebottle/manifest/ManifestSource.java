package dev.claudebottle.manifest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a manifest came from and its text.
 *
 * @param name    what messages call it (the path, or {@code <embedded default>})
 * @param baseDir the folder its relative paths are resolved against
 * @param text    its YAML text
 */
public record ManifestSource(String name, Path baseDir, String text) {
    /** Requires every part. */
    public ManifestSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(text, "text");
    }
}
